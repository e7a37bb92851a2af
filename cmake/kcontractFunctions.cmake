# kcontract in a build: lint and check BPF objects as they are built, and
# fail the build when a contract is violated or an object cannot load.
# find_package(kcontract) includes this file; so does kcontract's own build.
#
#   kcontract_lint(TARGET <target> OBJECTS <bpf.o>...
#                  [MANIFESTS <file-or-dir>...] [NO_DEFAULT_MANIFESTS]
#                  [UNKNOWN note|warning|error] [NAME <lint-target>])
#     Runs `kcontract lint` on OBJECTS, the BPF objects <target> builds,
#     after it and again whenever an object or a manifest changes. Adds the
#     target <target>_kcontract_lint (or NAME) to ALL.
#
#   kcontract_check(TARGET <target> OBJECTS <bpf.o>... KERNELS <source>...
#                   [MANIFESTS <file-or-dir>...] [NO_DEFAULT_MANIFESTS]
#                   [NAME <check-target>])
#     Runs `kcontract check` on OBJECTS against every kernel source (a raw BTF
#     file, a vmlinux, a bzImage, a directory, a .deb, or 'running'). Adds the
#     target <target>_kcontract_check (or NAME) to ALL.
#
# Both print kcontract's findings as compiler diagnostics; the build fails on
# an error (exit bit 8: a contract violated, an object that cannot load) or
# when kcontract cannot read its input, not on warnings or notes.
#
# KCONTRACT_EXECUTABLE: the kcontract that runs (found beside the package,
# else on PATH). KCONTRACT_BPF_INCLUDE_DIR: the directory to give clang for
# #include <kcontract/kfunc_revisions.h> and the other BPF-side headers.
include_guard(GLOBAL)

# Runs kcontract; its exit status 4 (warnings, changes) passes.
# (No ';' in it: it would split the CMake list.)
set(_kcontract_pass_warnings sh -c "\"$0\" \"$@\" || [ $? -eq 4 ]")

function(_kcontract_rule kind)
  cmake_parse_arguments(PARSE_ARGV 1 arg "NO_DEFAULT_MANIFESTS" "TARGET;NAME;UNKNOWN"
                        "OBJECTS;MANIFESTS;KERNELS")
  if(NOT arg_TARGET OR NOT arg_OBJECTS OR arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "kcontract_${kind}(TARGET <target> OBJECTS <bpf.o>... ...): got ${ARGN}")
  endif()
  if(kind STREQUAL "check" AND NOT arg_KERNELS)
    message(FATAL_ERROR "kcontract_check(TARGET ${arg_TARGET} ...): KERNELS <source>... is "
                        "required")
  endif()
  if(NOT KCONTRACT_EXECUTABLE)
    message(FATAL_ERROR "kcontract_${kind}: no kcontract executable (set KCONTRACT_EXECUTABLE)")
  endif()
  set(name ${arg_NAME})
  if(NOT name)
    set(name ${arg_TARGET}_kcontract_${kind})
  endif()
  set(args ${kind})
  set(depends ${arg_OBJECTS})
  foreach(manifest IN LISTS arg_MANIFESTS)
    get_filename_component(manifest ${manifest} ABSOLUTE)
    list(APPEND args --manifest ${manifest})
    if(IS_DIRECTORY ${manifest})
      file(GLOB manifest_files CONFIGURE_DEPENDS ${manifest}/*.toml)
      list(APPEND depends ${manifest_files})
    else()
      list(APPEND depends ${manifest})
    endif()
  endforeach()
  if(arg_NO_DEFAULT_MANIFESTS)
    list(APPEND args --no-default-manifests)
  endif()
  if(arg_UNKNOWN)
    list(APPEND args --unknown ${arg_UNKNOWN})
  endif()
  foreach(kernel IN LISTS arg_KERNELS)
    if(NOT kernel STREQUAL "running")
      get_filename_component(kernel ${kernel} ABSOLUTE)
      if(NOT IS_DIRECTORY ${kernel})
        list(APPEND depends ${kernel})
      endif()
    endif()
    list(APPEND args --kernel ${kernel})
  endforeach()
  set(objects)
  foreach(object IN LISTS arg_OBJECTS)
    get_filename_component(object ${object} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_BINARY_DIR})
    list(APPEND objects ${object})
  endforeach()
  # A stamp written only when kcontract passes: a failed lint runs again
  # in the next build.
  set(stamp ${CMAKE_CURRENT_BINARY_DIR}/${name}.stamp)
  add_custom_command(OUTPUT ${stamp}
    COMMAND ${_kcontract_pass_warnings} ${KCONTRACT_EXECUTABLE} ${args} ${objects}
    COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
    DEPENDS ${depends} ${arg_TARGET}
    COMMENT "kcontract ${kind} ${arg_TARGET}"
    VERBATIM)
  add_custom_target(${name} ALL DEPENDS ${stamp})
  add_dependencies(${name} ${arg_TARGET})
endfunction()

function(kcontract_lint)
  _kcontract_rule(lint ${ARGN})
endfunction()

function(kcontract_check)
  _kcontract_rule(check ${ARGN})
endfunction()

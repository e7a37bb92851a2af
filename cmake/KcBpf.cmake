# BPF C compiled by clang at build time, for the tests and the examples: the
# one rule that makes every BPF object, raw BTF file and linked object of the
# build (test models, test objects, the corpus, the diff models, the model
# kernels, the examples). Nothing compiled from BPF C is committed.
#
#   kc_bpf_compile(OUTPUT <file> SOURCE <c>
#                  [OBJECT <o>] [FLAGS <flag>...] [INCLUDES <dir>...] [NO_BTF]
#                  [TARGET <bpf|bpfel|bpfeb>] [BTF_OUTPUT <btf>]
#                  [POST_COMMAND <command> <arg>...]
#                  [DEPENDS <file-or-target>...] [COMMENT <text>])
#     clang -target <TARGET> -O2 -g -Wall -Werror <FLAGS> -I<INCLUDES>...
#           -c <SOURCE> -o <OBJECT>
#     with a depfile, so that every header and C file SOURCE includes counts
#     as an input. OBJECT is OUTPUT unless given: give it when POST_COMMAND
#     makes OUTPUT from it (a patch step). NO_BTF drops -g (no .BTF nor
#     .BTF.ext, as a stripped object). TARGET: bpf (the host's byte order)
#     unless given; bpfeb makes a big-endian object. BTF_OUTPUT: OUTPUT's .BTF section is
#     dumped there as well, raw BTF that kcontract reads as a kernel (written
#     under a temporary name and renamed, so a failed dump leaves none).
#     DEPENDS: further inputs, e.g. the tool POST_COMMAND runs.
#
#   kc_bpf_link(OUTPUT <o> OBJECTS <o>... [COMMENT <text>])
#     bpftool gen object: libbpf's static linker joins several objects into
#     one, as a policy written one C file per revision of a table is built.
#
#   KC_BPF_ASM_INCLUDE_DIRS: the multiarch include directory the host's
#     <linux/*.h> need for <asm/types.h> (empty where there is none); pass it
#     in INCLUDES when SOURCE includes uapi headers.
include_guard(DIRECTORY)

find_program(KC_CLANG NAMES clang clang-14)
if(NOT KC_CLANG)
  message(FATAL_ERROR "BPF objects and BTF models need clang with the BPF target "
                      "(Debian: apt-get install clang); set KC_CLANG to its path.")
endif()
find_program(KC_LLVM_OBJCOPY NAMES llvm-objcopy llvm-objcopy-14 llvm-objcopy-15
                                   llvm-objcopy-16 llvm-objcopy-17 llvm-objcopy-18)
find_program(KC_BPFTOOL NAMES bpftool PATHS /usr/sbin /sbin)

set(KC_BPF_ASM_INCLUDE_DIRS)
if(CMAKE_LIBRARY_ARCHITECTURE)
  set(KC_BPF_ASM_INCLUDE_DIRS /usr/include/${CMAKE_LIBRARY_ARCHITECTURE})
endif()

function(kc_bpf_compile)
  cmake_parse_arguments(PARSE_ARGV 0 arg "NO_BTF" "OUTPUT;SOURCE;OBJECT;TARGET;BTF_OUTPUT;COMMENT"
                        "FLAGS;INCLUDES;DEPENDS;POST_COMMAND")
  if(NOT arg_OUTPUT OR NOT arg_SOURCE OR arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "kc_bpf_compile(OUTPUT <file> SOURCE <c> ...): got ${ARGV}")
  endif()
  set(object ${arg_OUTPUT})
  set(byproducts)
  if(arg_OBJECT)
    set(object ${arg_OBJECT})
    list(APPEND byproducts ${arg_OBJECT})
  endif()
  set(target bpf)
  if(arg_TARGET)
    set(target ${arg_TARGET})
  endif()
  set(debug -g)
  if(arg_NO_BTF)
    set(debug)
  endif()
  set(includes)
  foreach(dir IN LISTS arg_INCLUDES)
    list(APPEND includes -I${dir})
  endforeach()
  set(outputs ${arg_OUTPUT})
  set(commands COMMAND ${KC_CLANG} -target ${target} -O2 ${debug} -Wall -Werror ${arg_FLAGS} ${includes}
                       -MD -MF ${arg_OUTPUT}.d -MT ${arg_OUTPUT} -c ${arg_SOURCE} -o ${object})
  if(arg_POST_COMMAND)
    list(APPEND commands COMMAND ${arg_POST_COMMAND})
  endif()
  if(arg_BTF_OUTPUT)
    if(NOT KC_LLVM_OBJCOPY)
      message(FATAL_ERROR "kc_bpf_compile(${arg_OUTPUT}): dumping .BTF needs llvm-objcopy "
                          "(Debian: apt-get install llvm); set KC_LLVM_OBJCOPY to its path.")
    endif()
    list(APPEND outputs ${arg_BTF_OUTPUT})
    list(APPEND commands
      COMMAND ${KC_LLVM_OBJCOPY} --dump-section .BTF=${arg_BTF_OUTPUT}.tmp ${arg_OUTPUT}
      COMMAND ${CMAKE_COMMAND} -E rename ${arg_BTF_OUTPUT}.tmp ${arg_BTF_OUTPUT})
  endif()
  set(comment ${arg_COMMENT})
  if(NOT comment)
    file(RELATIVE_PATH shown ${PROJECT_SOURCE_DIR} ${arg_SOURCE})
    set(comment "clang -target ${target} ${shown}")
  endif()
  add_custom_command(OUTPUT ${outputs} ${commands}
    DEPENDS ${arg_SOURCE} ${arg_DEPENDS}
    DEPFILE ${arg_OUTPUT}.d
    BYPRODUCTS ${byproducts}
    COMMENT "${comment}" VERBATIM)
endfunction()

function(kc_bpf_link)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "OUTPUT;COMMENT" "OBJECTS")
  if(NOT arg_OUTPUT OR NOT arg_OBJECTS OR arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "kc_bpf_link(OUTPUT <o> OBJECTS <o>...): got ${ARGV}")
  endif()
  if(NOT KC_BPFTOOL)
    message(FATAL_ERROR "kc_bpf_link(${arg_OUTPUT}): linking BPF objects needs `bpftool gen "
                        "object` (Debian: apt-get install bpftool); set KC_BPFTOOL to its path.")
  endif()
  set(comment ${arg_COMMENT})
  if(NOT comment)
    get_filename_component(name ${arg_OUTPUT} NAME)
    set(comment "bpftool gen object ${name}")
  endif()
  add_custom_command(OUTPUT ${arg_OUTPUT}
    COMMAND ${KC_BPFTOOL} gen object ${arg_OUTPUT} ${arg_OBJECTS}
    DEPENDS ${arg_OBJECTS}
    COMMENT "${comment}" VERBATIM)
endfunction()

# One library per source folder, and the build enforces which folders each
# may use.
#
#   kc_library(<name> DIR <folder> [SOURCES <file>...] [USES <kc library>...]
#              [PUBLIC_LIBS <target>...] [PRIVATE_LIBS <target>...])
#
# The folder's headers are reachable only through an include root of the
# library's own (${PROJECT_BINARY_DIR}/include/<name>/<folder> is a link to
# the folder), never through the project root. A library sees its own
# headers and those of the libraries it USES (transitively), so that an
# `#include "abi/report/..."` in abi/libbpf/ fails to build. A folder with no
# sources is an INTERFACE library (headers only). Every library's objects
# go into the one installed kcontract_lib (kc_library_objects()).
function(kc_library name)
  cmake_parse_arguments(arg "" "DIR" "SOURCES;USES;PUBLIC_LIBS;PRIVATE_LIBS" ${ARGN})
  set(root ${PROJECT_BINARY_DIR}/include/${name})
  get_filename_component(parent ${root}/${arg_DIR} DIRECTORY)
  file(MAKE_DIRECTORY ${parent})
  file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${arg_DIR} ${root}/${arg_DIR} SYMBOLIC)
  if(arg_SOURCES)
    add_library(${name} OBJECT ${arg_SOURCES})
    target_include_directories(${name} PUBLIC ${root})
    target_link_libraries(${name} PUBLIC ${arg_USES} ${arg_PUBLIC_LIBS}
                          PRIVATE ${arg_PRIVATE_LIBS})
    target_compile_definitions(${name} PRIVATE KCONTRACT_VERSION="${PROJECT_VERSION}")
    set_property(GLOBAL APPEND PROPERTY KC_LIBRARY_OBJECTS $<TARGET_OBJECTS:${name}>)
  else()
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE ${root})
    target_link_libraries(${name} INTERFACE ${arg_USES} ${arg_PUBLIC_LIBS})
  endif()
endfunction()

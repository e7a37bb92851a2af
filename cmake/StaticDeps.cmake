# Abseil and libarchive linked statically where Debian ships their static
# libraries (libabsl-dev and libarchive-dev both do, built as PIC).
#
# Why: a kcontract process spent more time in the dynamic loader than in
# reading a kernel's BTF. Debian's Abseil is 27 shared libraries and
# libarchive pulls in libxml2 and ICU (30 MB of data mapped) for formats
# kcontract never reads: `kcontract --version` took 5.8 ms of CPU against
# 1.1 ms for a program linking libbpf alone. Statically, only the objects
# kcontract uses are linked, and the loader maps a handful of libraries.
#
# KCONTRACT_STATIC_DEPS=OFF keeps the shared libraries.
option(KCONTRACT_STATIC_DEPS "Link Abseil and libarchive statically when their .a exist" ON)

# Points every imported absl:: target at its static archive; the targets'
# own dependencies between each other keep the link order right.
function(kc_absl_static)
  get_directory_property(imported IMPORTED_TARGETS)
  foreach(target IN LISTS imported)
    if(NOT target MATCHES "^absl::")
      continue()
    endif()
    get_target_property(type ${target} TYPE)
    if(NOT type STREQUAL "SHARED_LIBRARY")
      continue()
    endif()
    get_target_property(configs ${target} IMPORTED_CONFIGURATIONS)
    foreach(config IN LISTS configs)
      get_target_property(location ${target} IMPORTED_LOCATION_${config})
      string(REGEX REPLACE "\\.so(\\.[0-9.]+)?$" ".a" archive "${location}")
      if(location AND NOT archive STREQUAL location AND EXISTS "${archive}")
        set_target_properties(${target} PROPERTIES IMPORTED_LOCATION_${config} "${archive}")
      endif()
    endforeach()
  endforeach()
endfunction()

# KC_ARCHIVE_LIBRARIES: what to link for libarchive. Its static archive, then
# the libraries its pkg-config names for a static link, each only if an
# object that was pulled in needs it.
set(KC_ARCHIVE_LIBRARIES PkgConfig::LIBARCHIVE)
if(KCONTRACT_STATIC_DEPS)
  kc_absl_static()
  find_library(KC_LIBARCHIVE_STATIC NAMES libarchive.a)
  if(KC_LIBARCHIVE_STATIC)
    set(KC_ARCHIVE_LIBRARIES ${KC_LIBARCHIVE_STATIC} "-Wl,--push-state,--as-needed")
    foreach(lib IN LISTS LIBARCHIVE_STATIC_LIBRARIES)
      if(NOT lib STREQUAL "archive")
        find_library(KC_ARCHIVE_DEP_${lib} NAMES ${lib})
        if(KC_ARCHIVE_DEP_${lib})
          list(APPEND KC_ARCHIVE_LIBRARIES ${KC_ARCHIVE_DEP_${lib}})
        endif()
      endif()
    endforeach()
    list(APPEND KC_ARCHIVE_LIBRARIES "-Wl,--pop-state")
  endif()
endif()

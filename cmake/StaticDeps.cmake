# Abseil, libarchive and the C libraries linked statically where Debian
# ships their static libraries (the -dev packages do).
#
# Why: a kcontract process spent more time in the dynamic loader than in
# reading a kernel's BTF. Debian's Abseil is 27 shared libraries and
# libarchive pulls in libxml2 and ICU (30 MB of data mapped) for formats
# kcontract never reads: `kcontract --version` took 5.8 ms of CPU against
# 1.1 ms for a program linking libbpf alone. Statically, only the objects
# kcontract uses are linked, and the loader maps a handful of libraries.
#
# KCONTRACT_STATIC_DEPS=OFF keeps the shared libraries (debian/rules does:
# a distribution's package links the system's libraries).
option(KCONTRACT_STATIC_DEPS "Link Abseil, libarchive, libbpf, libelf, the decompressors and nettle statically when their .a exist" ON)

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

# Points an imported pkg-config target (PkgConfig::X) at the static
# archives of the libraries it names, where Debian ships them (libbpf-dev,
# libelf-dev, zlib1g-dev, liblzma-dev, libzstd-dev and nettle-dev do). The
# installed kcontractConfig.cmake makes its own targets, so a program that
# links the installed library still gets the system's shared libbpf (its
# loader's version is the one that loads).
function(kc_pkgconfig_static prefix)
  set(target PkgConfig::${prefix})
  get_target_property(libs ${target} INTERFACE_LINK_LIBRARIES)
  set(static_libs)
  set(changed FALSE)
  foreach(lib IN LISTS libs)
    string(REGEX REPLACE "\\.so(\\.[0-9.]+)?$" ".a" archive "${lib}")
    if(NOT archive STREQUAL lib AND EXISTS "${archive}")
      list(APPEND static_libs "${archive}")
      set(changed TRUE)
    else()
      list(APPEND static_libs "${lib}")
    endif()
  endforeach()
  if(NOT changed)
    return()
  endif()
  # A static archive does not name what it needs: pkg-config's static list
  # does (libbpf: libelf and zlib), each after it.
  foreach(dep IN LISTS ${prefix}_STATIC_LIBRARIES)
    if(dep IN_LIST ${prefix}_LIBRARIES OR dep MATCHES "^(c|m|dl|rt|pthread)$")
      continue()
    endif()
    find_library(KC_STATIC_DEP_${dep} NAMES lib${dep}.a ${dep})
    if(KC_STATIC_DEP_${dep})
      list(APPEND static_libs "${KC_STATIC_DEP_${dep}}")
    endif()
  endforeach()
  set_target_properties(${target} PROPERTIES INTERFACE_LINK_LIBRARIES "${static_libs}")
endfunction()

# KC_ARCHIVE_LIBRARIES: what to link for libarchive. Its static archive, then
# the libraries its pkg-config names for a static link, each only if an
# object that was pulled in needs it.
set(KC_ARCHIVE_LIBRARIES PkgConfig::LIBARCHIVE)
if(KCONTRACT_STATIC_DEPS)
  kc_absl_static()
  # Each shared library a process maps costs start-up time (symbol lookup
  # and relocation in the dynamic loader): linked statically, libbpf, libelf,
  # the decompressors, nettle and the C++ runtime save `kcontract --help`
  # 0.8 ms of its 1.9 ms, a tenth of a whole `check` against a kernel's BTF.
  foreach(prefix LIBBPF LIBELF ZLIB LZMA ZSTD NETTLE)
    kc_pkgconfig_static(${prefix})
  endforeach()
  find_library(KC_LIBARCHIVE_STATIC NAMES libarchive.a)
  if(KC_LIBARCHIVE_STATIC)
    set(KC_ARCHIVE_LIBRARIES ${KC_LIBARCHIVE_STATIC} "-Wl,--push-state,--as-needed")
    foreach(lib IN LISTS LIBARCHIVE_STATIC_LIBRARIES)
      if(NOT lib STREQUAL "archive")
        find_library(KC_ARCHIVE_DEP_${lib} NAMES lib${lib}.a ${lib})
        if(KC_ARCHIVE_DEP_${lib})
          list(APPEND KC_ARCHIVE_LIBRARIES ${KC_ARCHIVE_DEP_${lib}})
        endif()
      endif()
    endforeach()
    list(APPEND KC_ARCHIVE_LIBRARIES "-Wl,--pop-state")
  endif()
endif()

# Upstream libbpf releases built from the local source tarballs in
# ${KCONTRACT_SHARED_DIR}/libbpf, statically, against Debian's libelf and
# zlib: test oracles of what loaders with a newer libbpf do. The product
# keeps linking the system's libbpf (Debian 12: 1.1.2); nothing here is
# downloaded, and nothing is built unless a test target depends on it.
#
#   kc_libbpf_release(<version> <tag>)
#     <version>: "1.5.0"; <tag>: "1_5". When the tarball and SHA256SUMS are
#     there, defines the imported static library kc_libbpf_<tag> (headers in
#     its include directory, libelf and zlib in its link interface), built at
#     build time: the tarball's SHA256 is checked against SHA256SUMS, it is
#     extracted into the build tree and `make -C src BUILD_STATIC_ONLY=1
#     install install_uapi_headers` puts libbpf.a and the headers (libbpf's
#     and the matching UAPI ones) under
#     ${CMAKE_BINARY_DIR}/libbpf-releases/<version>/root. Otherwise sets
#     KC_LIBBPF_<tag>_MISSING in the caller's scope to why it is not built.
include_guard(GLOBAL)

find_program(KC_GNU_MAKE NAMES gmake make)
set(KC_LIBBPF_RELEASE_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/VerifySha256.cmake)

function(kc_libbpf_release version tag)
  set(store ${KCONTRACT_SHARED_DIR}/libbpf)
  set(tarball ${store}/libbpf-${version}.tar.gz)
  set(sums ${store}/SHA256SUMS)
  if(NOT EXISTS ${tarball} OR NOT EXISTS ${sums})
    set(KC_LIBBPF_${tag}_MISSING "no ${tarball} with SHA256SUMS beside it (KCONTRACT_SHARED_DIR)"
        PARENT_SCOPE)
    return()
  endif()
  if(NOT KC_GNU_MAKE)
    set(KC_LIBBPF_${tag}_MISSING "building libbpf ${version} needs GNU make" PARENT_SCOPE)
    return()
  endif()
  set(dir ${CMAKE_BINARY_DIR}/libbpf-releases/${version})
  set(root ${dir}/root)
  set(lib ${root}/usr/lib/libbpf.a)
  # An imported target's include directory must exist when the build system
  # is generated; the install below fills it.
  file(MAKE_DIRECTORY ${root}/usr/include)
  set(cc ${CMAKE_C_COMPILER})
  if(CMAKE_C_COMPILER_LAUNCHER)
    list(JOIN CMAKE_C_COMPILER_LAUNCHER " " launcher)
    set(cc "${launcher} ${CMAKE_C_COMPILER}")
  endif()
  add_custom_command(OUTPUT ${lib}
    COMMAND ${CMAKE_COMMAND} -DFILE=${tarball} -DSUMS=${sums} -P ${KC_LIBBPF_RELEASE_SCRIPT}
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${dir}/src ${dir}/obj
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}/src
    COMMAND ${CMAKE_COMMAND} -E chdir ${dir}/src ${CMAKE_COMMAND} -E tar xzf ${tarball}
    # CFLAGS without upstream's -Werror: a newer gcc's new warnings must not
    # stop an oracle build. Serial make: the build's two cores are ninja's.
    COMMAND ${KC_GNU_MAKE} -s -C ${dir}/src/libbpf-${version}/src
            BUILD_STATIC_ONLY=1 OBJDIR=${dir}/obj DESTDIR=${root}
            PREFIX=/usr LIBDIR=/usr/lib "CC=${cc}" "CFLAGS=-g -O2 -fPIC"
            install install_uapi_headers
    DEPENDS ${tarball} ${sums} ${KC_LIBBPF_RELEASE_SCRIPT}
    COMMENT "libbpf ${version}: check SHA256, extract, build statically (a test oracle)"
    VERBATIM)
  add_custom_target(kc_libbpf_${tag}_build DEPENDS ${lib})
  add_library(kc_libbpf_${tag} STATIC IMPORTED GLOBAL)
  set_target_properties(kc_libbpf_${tag} PROPERTIES
    IMPORTED_LOCATION ${lib}
    INTERFACE_INCLUDE_DIRECTORIES ${root}/usr/include
    INTERFACE_LINK_LIBRARIES "PkgConfig::LIBELF;PkgConfig::ZLIB")
  add_dependencies(kc_libbpf_${tag} kc_libbpf_${tag}_build)
endfunction()

# Model kernels: C models of kernels whose BPF hooks never merged (BPF-THP,
# mthp_ext, BPF OOM) and of sched_ext's kfunc renames, compiled by clang at
# build time into raw BTF files that kcontract reads as kernels
# (`--kernel <name>.btf`). Sources and what each one models:
# tests/model_kernels/ (README.md there).
#
#   kc_model_kernel(<name>)
#     tests/model_kernels/<name>.c
#       -> clang -target bpf -g -O2 -Wall -Werror -c -> <name>.o
#       -> llvm-objcopy --dump-section .BTF=...     -> ${KC_MODEL_KERNEL_DIR}/<name>.btf
#     and a target kc_model_kernel_<name>; target kc_model_kernels builds
#     every model kernel declared so far.
#
# Usage: include() this file, then call kc_model_kernel() for the models you
# need and add_dependencies() on kc_model_kernels (or kc_model_kernel_<name>);
# the files are ${KC_MODEL_KERNEL_DIR}/<name>.btf. tests/CMakeLists.txt
# declares every model; a later directory (e.g. examples/) may include this
# file again and call kc_model_kernel() for a model already declared: the
# include is idempotent and a second declaration of a name only returns, so
# the .btf has one rule (Ninja refuses two) and one target.

set(KC_MODEL_KERNEL_SOURCE_DIR "${PROJECT_SOURCE_DIR}/tests/model_kernels")
set(KC_MODEL_KERNEL_DIR "${PROJECT_BINARY_DIR}/model_kernels")
file(MAKE_DIRECTORY "${KC_MODEL_KERNEL_DIR}")

find_program(KC_CLANG NAMES clang clang-14)
if(NOT KC_CLANG)
  message(FATAL_ERROR "Model kernels need clang with the BPF target "
                      "(Debian: apt-get install clang); set KC_CLANG to its path.")
endif()
find_program(KC_LLVM_OBJCOPY NAMES llvm-objcopy llvm-objcopy-14 llvm-objcopy-15
                                   llvm-objcopy-16 llvm-objcopy-17 llvm-objcopy-18)
if(NOT KC_LLVM_OBJCOPY)
  message(FATAL_ERROR "Model kernels need llvm-objcopy to dump the .BTF section "
                      "of the compiled models (Debian: apt-get install llvm); "
                      "set KC_LLVM_OBJCOPY to its path.")
endif()

if(NOT TARGET kc_model_kernels)
  add_custom_target(kc_model_kernels ALL)
endif()

function(kc_model_kernel name)
  if(TARGET kc_model_kernel_${name})
    return()
  endif()
  set(src "${KC_MODEL_KERNEL_SOURCE_DIR}/${name}.c")
  if(NOT EXISTS "${src}")
    message(FATAL_ERROR "kc_model_kernel(${name}): no ${src}")
  endif()
  set(obj "${KC_MODEL_KERNEL_DIR}/${name}.o")
  set(btf "${KC_MODEL_KERNEL_DIR}/${name}.btf")
  # The depfile makes a model rebuild when a header or a model it includes
  # (thp_withdrawn.c includes thp_v9.c) changes. The .btf is written under a
  # temporary name and renamed, so a failed dump never leaves a partial one.
  add_custom_command(OUTPUT "${btf}"
    COMMAND "${KC_CLANG}" -target bpf -g -O2 -Wall -Werror
            -I "${KC_MODEL_KERNEL_SOURCE_DIR}"
            -MD -MF "${btf}.d" -MT "${btf}"
            -c "${src}" -o "${obj}"
    COMMAND "${KC_LLVM_OBJCOPY}" --dump-section ".BTF=${btf}.tmp" "${obj}"
    COMMAND "${CMAKE_COMMAND}" -E rename "${btf}.tmp" "${btf}"
    DEPENDS "${src}"
    DEPFILE "${btf}.d"
    BYPRODUCTS "${obj}"
    COMMENT "model kernel ${name}.c -> ${name}.btf"
    VERBATIM)
  add_custom_target(kc_model_kernel_${name} DEPENDS "${btf}")
  add_dependencies(kc_model_kernels kc_model_kernel_${name})
endfunction()

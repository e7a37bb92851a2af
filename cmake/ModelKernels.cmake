# Model kernels: C models of kernels with hooks that never merged (BPF-THP,
# mthp_ext, BPF OOM) and of sched_ext's kfunc renames, compiled by clang at
# build time into raw BTF files that kcontract reads as kernels
# (`--kernel <name>.btf`). Sources and what each one models:
# tests/model_kernels/ (README.md there).
#
#   kc_model_kernel(<name>)
#     tests/model_kernels/<name>.c
#       -> kc_bpf_compile (cmake/KcBpf.cmake)  -> ${KC_MODEL_KERNEL_DIR}/<name>.o
#       -> its .BTF section                    -> ${KC_MODEL_KERNEL_DIR}/<name>.btf
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

include(${CMAKE_CURRENT_LIST_DIR}/KcBpf.cmake)

set(KC_MODEL_KERNEL_SOURCE_DIR "${PROJECT_SOURCE_DIR}/tests/model_kernels")
set(KC_MODEL_KERNEL_DIR "${PROJECT_BINARY_DIR}/model_kernels")
file(MAKE_DIRECTORY "${KC_MODEL_KERNEL_DIR}")

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
  set(btf "${KC_MODEL_KERNEL_DIR}/${name}.btf")
  # The depfile makes a model rebuild when a header or a model it includes
  # (thp_withdrawn.c includes thp_v9.c) changes.
  kc_bpf_compile(OUTPUT "${KC_MODEL_KERNEL_DIR}/${name}.o" BTF_OUTPUT "${btf}"
                 SOURCE "${src}" INCLUDES "${KC_MODEL_KERNEL_SOURCE_DIR}"
                 COMMENT "model kernel ${name}.c -> ${name}.btf")
  add_custom_target(kc_model_kernel_${name} DEPENDS "${btf}")
  add_dependencies(kc_model_kernels kc_model_kernel_${name})
endfunction()

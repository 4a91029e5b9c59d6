# The layering of src/ as a build fact.
#
# Each tier gets its own include root in the build tree, ${REVAL_TIER_ROOT}/<tier>, holding one symbolic
# link per file of that tier only (files, not the folder: `#include "../../core/x.h"` from a linked folder
# would climb out of it into the real tree). A target sees exactly the roots of the tiers it may use:
#
#   tier     files               include roots it sees               targets
#   point    src/kernels/point   point                               reval::point (INTERFACE)
#   core     src/core            point, core (+ Eigen)               reval::core
#   kokkos   src/kernels/kokkos  point, kokkos (+ Kokkos headers)    reval::kokkos_kernels (INTERFACE)
#   (adapters: src/lammps sees them all + LAMMPS)
#
# so a header that includes a tier above it (kernels/* -> core/, core/ -> kernels/kokkos, ...) or a
# library its tier must not use (Eigen in kernels/*, Kokkos in core/) is not found: the build FAILS.
# reval_add_header_checks() makes that true of every header, including ones only included by adapters:
# each header is compiled alone, in its own object target, with its tier's paths only.

set(REVAL_TIER_ROOT "${PROJECT_BINARY_DIR}/tiers")

# reval_stage_tier(<tier> <dir relative to src>): (re)creates ${REVAL_TIER_ROOT}/<tier>/<dir>/<file> -> the
# source file, for every file of <dir>; a file added or removed there re-runs the configure step.
function(reval_stage_tier tier dir)
  set(_root "${REVAL_TIER_ROOT}/${tier}")
  file(REMOVE_RECURSE "${_root}")
  file(MAKE_DIRECTORY "${_root}/${dir}")
  file(GLOB _files CONFIGURE_DEPENDS LIST_DIRECTORIES false RELATIVE "${PROJECT_SOURCE_DIR}/src/${dir}"
       "${PROJECT_SOURCE_DIR}/src/${dir}/*.h" "${PROJECT_SOURCE_DIR}/src/${dir}/*.hpp"
       "${PROJECT_SOURCE_DIR}/src/${dir}/*.cpp" "${PROJECT_SOURCE_DIR}/src/${dir}/*.in")
  foreach(_f IN LISTS _files)
    file(CREATE_LINK "${PROJECT_SOURCE_DIR}/src/${dir}/${_f}" "${_root}/${dir}/${_f}" SYMBOLIC)
  endforeach()
endfunction()

# reval_add_header_checks(<tier> <dir relative to src> <interface target>): one OBJECT target per header
# of <dir> (reval_layering_<tier>_<name>), compiling a source that includes only that header, linked
# only to <interface target>; all of them under the target reval_layering_<tier> (in ALL unless
# EXCLUDE_FROM_ALL is given) and reval_layering.
function(reval_add_header_checks tier dir interface)
  cmake_parse_arguments(A "EXCLUDE_FROM_ALL" "" "" ${ARGN})
  file(GLOB _headers CONFIGURE_DEPENDS LIST_DIRECTORIES false RELATIVE "${PROJECT_SOURCE_DIR}/src/${dir}"
       "${PROJECT_SOURCE_DIR}/src/${dir}/*.h" "${PROJECT_SOURCE_DIR}/src/${dir}/*.hpp")
  set(_all "")
  if(NOT A_EXCLUDE_FROM_ALL)
    set(_all ALL)
  endif()
  add_custom_target(reval_layering_${tier} ${_all})
  if(NOT TARGET reval_layering)
    add_custom_target(reval_layering)
  endif()
  add_dependencies(reval_layering reval_layering_${tier})
  foreach(_h IN LISTS _headers)
    string(MAKE_C_IDENTIFIER "${_h}" _id)
    set(_src "${CMAKE_CURRENT_BINARY_DIR}/layering/${tier}/${_id}.cpp")
    file(CONFIGURE OUTPUT "${_src}"
         CONTENT "// layering check (cmake/RevalLayering.cmake): ${dir}/${_h} alone, with the ${tier} tier's include paths only\n#include \"${dir}/${_h}\"\n")
    set(_t reval_layering_${tier}_${_id})
    add_library(${_t} OBJECT EXCLUDE_FROM_ALL "${_src}")
    target_link_libraries(${_t} PRIVATE ${interface})
    add_dependencies(reval_layering_${tier} ${_t})
  endforeach()
endfunction()

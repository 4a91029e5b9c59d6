# A wrong include fails to build (cmake/RevalLayering.cmake). In a copy of the tree, headers are planted
# in each tier: one with only the includes its tier may use (must build: the check is not failing for
# another reason) and one per forbidden include (must fail, with the compiler naming that include).
#   cmake -DSRC=<repo> -DWORK=<folder> -DGENERATOR=<gen> [-DLAUNCHER=ccache] [-DKOKKOS=ON
#         -DLAMMPS_SOURCE_DIR=... -DLAMMPS_BUILD_DIR=...] -P test_planted_includes.cmake
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/tree")
file(COPY "${SRC}/CMakeLists.txt" "${SRC}/cmake" "${SRC}/src" DESTINATION "${WORK}/tree")

set(cases "")    # <tier>|<file relative to src>|ok or the include that must not be found
macro(plant tier file expect)
  file(WRITE "${WORK}/tree/src/${file}" "#pragma once\n${ARGN}\n")
  list(APPEND cases "${tier}|${file}|${expect}")
endmacro()

plant(point kernels/point/zz_planted_ok.hpp ok
      "#include \"kernels/point/reval_function.hpp\"\n#include <cmath>\nREVAL_FUNCTION double zz_planted(double x) { return std::sqrt(x); }")
plant(point kernels/point/zz_planted_core.hpp "core/error.h" "#include \"core/error.h\"")
plant(point kernels/point/zz_planted_relative.hpp "../../core/error.h" "#include \"../../core/error.h\"")
plant(point kernels/point/zz_planted_eigen.hpp "Eigen/Dense" "#include <Eigen/Dense>")
plant(point kernels/point/zz_planted_kokkos_tier.hpp "kernels/kokkos/device_copy.hpp"
      "#include \"kernels/kokkos/device_copy.hpp\"")
plant(point kernels/point/zz_planted_kokkos.hpp "Kokkos_Core.hpp" "#include <Kokkos_Core.hpp>")
plant(core core/zz_planted_ok.h ok
      "#include \"core/error.h\"\n#include \"kernels/point/box_math.hpp\"\n#include <Eigen/Dense>")
plant(core core/zz_planted_kokkos_tier.h "kernels/kokkos/device_copy.hpp" "#include \"kernels/kokkos/device_copy.hpp\"")
plant(core core/zz_planted_kokkos.h "Kokkos_Core.hpp" "#include <Kokkos_Core.hpp>")
plant(core core/zz_planted_lammps.h "lammps/lammps_bridge.h" "#include \"lammps/lammps_bridge.h\"")
plant(core core/zz_planted_lammps_api.h "pointers.h" "#include \"pointers.h\"")
if(KOKKOS)
  plant(kokkos kernels/kokkos/zz_planted_ok.hpp ok
        "#include \"kernels/kokkos/device_copy.hpp\"\n#include \"kernels/point/box_math.hpp\"\n#include <Kokkos_Core.hpp>")
  plant(kokkos kernels/kokkos/zz_planted_core.hpp "core/snap_descriptor.h" "#include \"core/snap_descriptor.h\"")
  plant(kokkos kernels/kokkos/zz_planted_eigen.hpp "Eigen/Dense" "#include <Eigen/Dense>")
  plant(kokkos kernels/kokkos/zz_planted_lammps.hpp "kokkos_type.h" "#include \"kokkos_type.h\"")
  set(config -DREVAL_BUILD_PLUGIN=ON -DREVAL_ENABLE_KOKKOS=ON "-DLAMMPS_SOURCE_DIR=${LAMMPS_SOURCE_DIR}"
             "-DLAMMPS_BUILD_DIR=${LAMMPS_BUILD_DIR}")
else()
  set(config -DREVAL_BUILD_PLUGIN=OFF -DLAMMPS_SOURCE_DIR=/nonexistent)
endif()
if(LAUNCHER)
  list(APPEND config "-DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER}")
endif()

execute_process(COMMAND ${CMAKE_COMMAND} -S "${WORK}/tree" -B "${WORK}/build" -G "${GENERATOR}"
                        -DREVAL_ENABLE_TESTS=OFF ${config} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configure of the planted tree failed:\n${out}")
endif()

set(failures "")
foreach(c IN LISTS cases)
  string(REPLACE "|" ";" c "${c}")
  list(GET c 0 tier)
  list(GET c 1 file)
  list(GET c 2 expect)
  get_filename_component(name "${file}" NAME)
  string(MAKE_C_IDENTIFIER "${name}" id)
  execute_process(COMMAND ${CMAKE_COMMAND} --build "${WORK}/build" --target reval_layering_${tier}_${id}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(expect STREQUAL "ok")
    if(rc EQUAL 0)
      message(STATUS "ok: ${file} (allowed includes only) builds")
    else()
      string(APPEND failures "${file} has only includes its tier may use but did not build:\n${out}\n")
    endif()
  elseif(rc EQUAL 0)
    string(APPEND failures "${file} includes ${expect}, which the ${tier} tier must not see, yet it built\n")
  else()
    string(FIND "${out}" "${expect}: No such file or directory" at)
    if(at LESS 0)
      string(APPEND failures "${file} did not build, but not because ${expect} was not found:\n${out}\n")
    else()
      message(STATUS "ok: ${file} fails to build: ${expect} is not visible to the ${tier} tier")
    endif()
  endif()
endforeach()
if(failures)
  message(FATAL_ERROR "${failures}")
endif()
file(REMOVE_RECURSE "${WORK}")

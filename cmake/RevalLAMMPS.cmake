# Locate LAMMPS for the plugin and the LAMMPS-level tests, and describe it as targets.
#
# Where LAMMPS comes from, first match wins:
#   1. -DLAMMPS_SOURCE_DIR=<lammps>/src  (or the tree root) [+ -DLAMMPS_BUILD_DIR=<its CMake build folder>]
#      any LAMMPS tree, e.g. a user's own 2023-2025 stable. With LAMMPS_BUILD_DIR, every ABI-relevant
#      option (KOKKOS and its backends, MPI, LAMMPS_SIZES, LAMMPS_EXCEPTIONS) is read from its
#      CMakeCache.txt, and liblammps/lmp are used for tests. Without it, only the plugin is built
#      (header-only use of LAMMPS) and the options below say how LAMMPS was configured.
#   2. -DLAMMPS_DIR=<prefix>/lib/cmake/LAMMPS (an installed LAMMPS package, find_package(LAMMPS)):
#      liblammps/lmp come from the package; LAMMPS installs only a subset of its headers, so
#      LAMMPS_SOURCE_DIR must still name the matching source tree.
#   3. The cached build of tools/bootstrap.sh (REVAL_LAMMPS_ENV, default
#      $REVAL_CACHE/lammps/current/reval-lammps.env, REVAL_CACHE defaulting to ~/.cache/reval).
#
# Results:
#   reval::lammps_api     INTERFACE target: LAMMPS (+KOKKOS) headers, definitions, MPI, Kokkos libraries
#   reval::kokkos_api     INTERFACE target (REVAL_WITH_KOKKOS only): the Kokkos of that LAMMPS build alone
#                         (headers, configuration, libraries; no LAMMPS header): what src/kernels/kokkos sees
#   reval::liblammps      the LAMMPS shared library (only if one was found; tests link it)
#   REVAL_LAMMPS_VERSION  numeric version, e.g. 20210929 (also the compile definition REVAL_LAMMPS_VERSION)
#   REVAL_LAMMPS_VERSION_STRING, REVAL_LAMMPS_LMP (lmp executable or empty), REVAL_WITH_KOKKOS,
#   REVAL_LAMMPS_MPI, REVAL_KOKKOS_BACKENDS
include(RevalLAMMPSVersion)

set(LAMMPS_SOURCE_DIR "" CACHE PATH "LAMMPS 'src' folder (or tree root) to build the plugin against")
set(LAMMPS_BUILD_DIR "" CACHE PATH "CMake build folder of that LAMMPS (optional; enables tests and option matching)")
set(REVAL_LAMMPS_ENV "" CACHE FILEPATH "Environment file written by tools/bootstrap.sh (default: the bootstrap cache)")
set(REVAL_LAMMPS_SIZES "smallbig" CACHE STRING "LAMMPS_SIZES of a LAMMPS given without build folder")
option(REVAL_LAMMPS_MPI "LAMMPS (given without build folder) was built with MPI" ON)
option(REVAL_LAMMPS_EXCEPTIONS "LAMMPS (given without build folder) was built with LAMMPS_EXCEPTIONS" ON)

function(_reval_fail what)
  string(REPLACE ";" "\n  " _fix "${ARGN}")
  message(FATAL_ERROR "\nREVAL: ${what}\nFix:\n  ${_fix}\n")
endfunction()

# ---------------------------------------------------------------- 1-3: where is LAMMPS?
set(_reval_lmp_origin "")
if(NOT LAMMPS_SOURCE_DIR AND NOT LAMMPS_DIR)
  if(NOT REVAL_LAMMPS_ENV)
    if(DEFINED ENV{REVAL_CACHE})
      set(_cache "$ENV{REVAL_CACHE}")
    elseif(DEFINED ENV{XDG_CACHE_HOME})
      set(_cache "$ENV{XDG_CACHE_HOME}/reval")
    else()
      set(_cache "$ENV{HOME}/.cache/reval")
    endif()
    set(REVAL_LAMMPS_ENV "${_cache}/lammps/current/reval-lammps.env")
  endif()
  if(NOT EXISTS "${REVAL_LAMMPS_ENV}")
    _reval_fail("no LAMMPS to build the plugin against (looked for the bootstrap cache ${REVAL_LAMMPS_ENV})."
      "run tools/bootstrap.sh (builds the default LAMMPS into the cache), or"
      "pass -DLAMMPS_SOURCE_DIR=<lammps>/src [-DLAMMPS_BUILD_DIR=<its build folder>] for your own LAMMPS, or"
      "pass -DREVAL_BUILD_PLUGIN=OFF to build only the LAMMPS-free core and its unit tests.")
  endif()
  file(STRINGS "${REVAL_LAMMPS_ENV}" _env REGEX "^[A-Z_]+=")
  foreach(_kv IN LISTS _env)
    if(_kv MATCHES "^(LAMMPS_SOURCE_DIR|LAMMPS_BUILD_DIR)=(.*)$")
      set(${CMAKE_MATCH_1} "${CMAKE_MATCH_2}" CACHE PATH "" FORCE)
    endif()
  endforeach()
  set(_reval_lmp_origin "bootstrap cache (${REVAL_LAMMPS_ENV})")
endif()

if(LAMMPS_DIR AND NOT LAMMPS_BUILD_DIR)
  find_package(LAMMPS CONFIG QUIET)
  if(NOT LAMMPS_FOUND)
    _reval_fail("LAMMPS_DIR=${LAMMPS_DIR} holds no LAMMPSConfig.cmake."
      "point LAMMPS_DIR at <install prefix>/lib/cmake/LAMMPS of an installed LAMMPS, or use LAMMPS_SOURCE_DIR.")
  endif()
  if(NOT LAMMPS_SOURCE_DIR)
    _reval_fail("an installed LAMMPS package has only a subset of the LAMMPS headers (no lammpsplugin.h, fmt/); plugins need the source tree."
      "add -DLAMMPS_SOURCE_DIR=<the src folder of the LAMMPS version installed at ${LAMMPS_DIR}>.")
  endif()
  if(NOT _reval_lmp_origin)
    set(_reval_lmp_origin "installed package (${LAMMPS_DIR}) + sources")
  endif()
endif()

if(NOT LAMMPS_SOURCE_DIR)
  _reval_fail("LAMMPS_SOURCE_DIR is not set." "pass -DLAMMPS_SOURCE_DIR=<lammps>/src")
endif()
get_filename_component(LAMMPS_SOURCE_DIR "${LAMMPS_SOURCE_DIR}" ABSOLUTE)
if(EXISTS "${LAMMPS_SOURCE_DIR}/src/version.h")
  set(LAMMPS_SOURCE_DIR "${LAMMPS_SOURCE_DIR}/src" CACHE PATH "" FORCE)
endif()
foreach(_h version.h lammpsplugin.h pointers.h compute.h fix.h pair.h fmt/format.h)
  if(NOT EXISTS "${LAMMPS_SOURCE_DIR}/${_h}")
    _reval_fail("LAMMPS_SOURCE_DIR=${LAMMPS_SOURCE_DIR} is not a usable LAMMPS src folder (${_h} is missing)."
      "pass -DLAMMPS_SOURCE_DIR=<lammps>/src of a complete LAMMPS source tree (the PLUGIN package sources included),"
      "or remove LAMMPS_SOURCE_DIR to use the bootstrap cache (tools/bootstrap.sh).")
  endif()
endforeach()
if(NOT _reval_lmp_origin)
  set(_reval_lmp_origin "LAMMPS_SOURCE_DIR")
endif()
reval_lammps_version_number("${LAMMPS_SOURCE_DIR}/version.h" REVAL_LAMMPS_VERSION REVAL_LAMMPS_VERSION_STRING)
if(REVAL_LAMMPS_VERSION LESS 20210929)
  _reval_fail("LAMMPS ${REVAL_LAMMPS_VERSION_STRING} is too old: REVAL needs 29 Sep 2021 or newer."
    "use LAMMPS 29 Sep 2021 (the bootstrap default) or a newer stable release.")
endif()

# ---------------------------------------------------------------- the LAMMPS build's options
set(REVAL_LAMMPS_LMP "")
set(_lmp_kokkos OFF)
set(_lmp_mpi ${REVAL_LAMMPS_MPI})
set(_lmp_exceptions ${REVAL_LAMMPS_EXCEPTIONS})
set(_lmp_sizes ${REVAL_LAMMPS_SIZES})
set(_lmp_machine "")
set(_lmp_ext_kokkos OFF)
set(REVAL_KOKKOS_BACKENDS "")
if(LAMMPS_BUILD_DIR)
  get_filename_component(LAMMPS_BUILD_DIR "${LAMMPS_BUILD_DIR}" ABSOLUTE)
  if(NOT EXISTS "${LAMMPS_BUILD_DIR}/CMakeCache.txt")
    _reval_fail("LAMMPS_BUILD_DIR=${LAMMPS_BUILD_DIR} is not a LAMMPS CMake build folder (no CMakeCache.txt)."
      "pass the folder in which LAMMPS was configured with cmake and built, or leave LAMMPS_BUILD_DIR empty"
      "(then only the plugin is built, without the LAMMPS-level tests).")
  endif()
  load_cache("${LAMMPS_BUILD_DIR}" READ_WITH_PREFIX _LC_
    PKG_KOKKOS PKG_PLUGIN BUILD_MPI BUILD_SHARED_LIBS LAMMPS_EXCEPTIONS LAMMPS_SIZES LAMMPS_MACHINE
    EXTERNAL_KOKKOS Kokkos_ENABLE_OPENMP Kokkos_ENABLE_SERIAL Kokkos_ENABLE_CUDA Kokkos_ENABLE_HIP
    Kokkos_ENABLE_SYCL Kokkos_ENABLE_PTHREAD Kokkos_ENABLE_THREADS CMAKE_HOME_DIRECTORY CMAKE_CXX_COMPILER)
  if(_LC_CMAKE_HOME_DIRECTORY)
    get_filename_component(_lc_src "${_LC_CMAKE_HOME_DIRECTORY}/../src" ABSOLUTE)
    if(NOT _lc_src STREQUAL LAMMPS_SOURCE_DIR)
      _reval_fail("LAMMPS_BUILD_DIR=${LAMMPS_BUILD_DIR} was configured from ${_lc_src}, not from LAMMPS_SOURCE_DIR=${LAMMPS_SOURCE_DIR}."
        "pass the build folder and the source tree of the same LAMMPS.")
    endif()
  endif()
  if(NOT _LC_PKG_PLUGIN)
    message(WARNING "REVAL: the LAMMPS in ${LAMMPS_BUILD_DIR} was built without the PLUGIN package: "
                    "its 'plugin load' command does not exist. Rebuild it with -DPKG_PLUGIN=on.")
  endif()
  if(REVAL_LAMMPS_VERSION LESS 20220623 AND NOT _LC_BUILD_SHARED_LIBS)
    message(WARNING "REVAL: LAMMPS ${REVAL_LAMMPS_VERSION_STRING} only loads plugins when built with "
                    "-DBUILD_SHARED_LIBS=on; ${LAMMPS_BUILD_DIR} was not.")
  endif()
  set(_lmp_kokkos ${_LC_PKG_KOKKOS})
  set(_lmp_mpi ${_LC_BUILD_MPI})
  set(_lmp_exceptions ${_LC_LAMMPS_EXCEPTIONS})
  if(_LC_LAMMPS_SIZES)
    set(_lmp_sizes ${_LC_LAMMPS_SIZES})
  endif()
  set(_lmp_machine "${_LC_LAMMPS_MACHINE}")
  set(_lmp_ext_kokkos ${_LC_EXTERNAL_KOKKOS})
  foreach(_b SERIAL OPENMP THREADS PTHREAD CUDA HIP SYCL)
    if(_LC_Kokkos_ENABLE_${_b})
      list(APPEND REVAL_KOKKOS_BACKENDS ${_b})
    endif()
  endforeach()
  # CUDA: compile every REVAL source (the /kk styles and what they include) with the flags Kokkos gave
  # LAMMPS' own sources (they are not exported by an in-tree Kokkos): extended lambdas, the GPU arch
  set(REVAL_CUDA_ARCH "")
  if("CUDA" IN_LIST REVAL_KOKKOS_BACKENDS)
    file(STRINGS "${LAMMPS_BUILD_DIR}/CMakeCache.txt" _arch_lines REGEX "^Kokkos_ARCH_[A-Z]+[0-9]+:BOOL=")
    foreach(_l IN LISTS _arch_lines)
      if(_l MATCHES "^Kokkos_ARCH_(KEPLER|MAXWELL|PASCAL|VOLTA|TURING|AMPERE|ADA|HOPPER|BLACKWELL)([0-9]+):BOOL=(ON|on|On|TRUE|true|1|YES|yes)$")
        set(REVAL_CUDA_ARCH "sm_${CMAKE_MATCH_2}")
      endif()
    endforeach()
    if(NOT REVAL_CUDA_ARCH)
      _reval_fail("the LAMMPS build ${LAMMPS_BUILD_DIR} enables Kokkos CUDA but no NVIDIA Kokkos_ARCH_* option was found in its CMakeCache.txt."
        "configure LAMMPS with e.g. -DKokkos_ARCH_HOPPER90=on (tools/gpu/build-cuda.sh does).")
    endif()
    add_compile_options("$<$<COMPILE_LANGUAGE:CXX>:-expt-extended-lambda;-Wext-lambda-captures-this;-arch=${REVAL_CUDA_ARCH}>")
    # and at link time (nvcc links with its default architecture otherwise: a second one in every binary)
    add_link_options("$<$<LINK_LANGUAGE:CXX>:-arch=${REVAL_CUDA_ARCH}>")
    message(STATUS "REVAL: CUDA build for ${REVAL_CUDA_ARCH} (flags of LAMMPS' Kokkos: extended lambdas)")
  endif()
  if(_lmp_kokkos AND NOT CMAKE_CXX_COMPILER STREQUAL _LC_CMAKE_CXX_COMPILER)
    get_filename_component(_a "${CMAKE_CXX_COMPILER}" REALPATH)
    get_filename_component(_b "${_LC_CMAKE_CXX_COMPILER}" REALPATH)
    if(NOT _a STREQUAL _b)
      message(WARNING "REVAL: compiling with ${CMAKE_CXX_COMPILER}, LAMMPS+Kokkos was compiled with "
                      "${_LC_CMAKE_CXX_COMPILER}. Kokkos code must use the same compiler (and nvcc_wrapper for CUDA): "
                      "configure REVAL with -DCMAKE_CXX_COMPILER=${_LC_CMAKE_CXX_COMPILER}.")
    endif()
  endif()
  set(_ext "${CMAKE_SHARED_LIBRARY_SUFFIX}")
  if(_LC_BUILD_SHARED_LIBS AND EXISTS "${LAMMPS_BUILD_DIR}/liblammps${_lmp_machine}${_ext}")
    add_library(reval_liblammps SHARED IMPORTED GLOBAL)
    set_target_properties(reval_liblammps PROPERTIES IMPORTED_LOCATION "${LAMMPS_BUILD_DIR}/liblammps${_lmp_machine}${_ext}")
    add_library(reval::liblammps ALIAS reval_liblammps)
  endif()
  set(_lmp_name "lmp")
  if(_lmp_machine)
    set(_lmp_name "lmp_${_lmp_machine}")
  endif()
  if(EXISTS "${LAMMPS_BUILD_DIR}/${_lmp_name}")
    set(REVAL_LAMMPS_LMP "${LAMMPS_BUILD_DIR}/${_lmp_name}")
  endif()
elseif(LAMMPS_FOUND)
  if(TARGET LAMMPS::lammps)
    add_library(reval::liblammps ALIAS LAMMPS::lammps)
  endif()
  if(TARGET LAMMPS::lmp)
    get_target_property(REVAL_LAMMPS_LMP LAMMPS::lmp LOCATION)
  endif()
endif()

# REVAL_ENABLE_KOKKOS: AUTO (default) follows the LAMMPS build; ON insists; OFF builds the plain plugin.
set(REVAL_WITH_KOKKOS OFF)
if(REVAL_ENABLE_KOKKOS STREQUAL "AUTO")
  set(REVAL_WITH_KOKKOS ${_lmp_kokkos})
elseif(REVAL_ENABLE_KOKKOS)
  if(NOT _lmp_kokkos)
    _reval_fail("REVAL_ENABLE_KOKKOS=ON, but the LAMMPS build ${LAMMPS_BUILD_DIR} has no KOKKOS package (or no LAMMPS_BUILD_DIR was given)."
      "build against a LAMMPS with -DPKG_KOKKOS=on and pass its LAMMPS_BUILD_DIR (the plugin must use that build's Kokkos),"
      "or use REVAL_ENABLE_KOKKOS=AUTO/OFF for the plain plugin.")
  endif()
  set(REVAL_WITH_KOKKOS ON)
endif()
if(REVAL_WITH_KOKKOS)
  set(REVAL_WITH_KOKKOS ON)
else()
  set(REVAL_WITH_KOKKOS OFF)
endif()
set(REVAL_LAMMPS_MPI ${_lmp_mpi})

# ---------------------------------------------------------------- reval::lammps_api
add_library(reval_lammps_api INTERFACE)
add_library(reval::lammps_api ALIAS reval_lammps_api)
target_include_directories(reval_lammps_api SYSTEM INTERFACE "${LAMMPS_SOURCE_DIR}")
string(TOUPPER "${_lmp_sizes}" _sizes)
target_compile_definitions(reval_lammps_api INTERFACE LAMMPS_${_sizes} REVAL_LAMMPS_VERSION=${REVAL_LAMMPS_VERSION})
if(_lmp_exceptions)
  target_compile_definitions(reval_lammps_api INTERFACE LAMMPS_EXCEPTIONS)
endif()
if(_lmp_mpi)
  set(MPI_CXX_SKIP_MPICXX TRUE)
  find_package(MPI QUIET COMPONENTS CXX)
  if(NOT MPI_CXX_FOUND)
    _reval_fail("LAMMPS was built with MPI, but no MPI C++ development files were found."
      "install them (Debian: apt-get install libopenmpi-dev openmpi-bin, or run tools/bootstrap.sh --deps-only).")
  endif()
  target_link_libraries(reval_lammps_api INTERFACE MPI::MPI_CXX)
  target_compile_definitions(reval_lammps_api INTERFACE OMPI_SKIP_MPICXX MPICH_SKIP_MPICXX)
else()
  target_include_directories(reval_lammps_api SYSTEM INTERFACE "${LAMMPS_SOURCE_DIR}/STUBS")
endif()

if(REVAL_WITH_KOKKOS)
  add_library(reval_kokkos_api INTERFACE)
  add_library(reval::kokkos_api ALIAS reval_kokkos_api)
  target_link_libraries(reval_lammps_api INTERFACE reval::kokkos_api)
  # One Kokkos runtime: compile against the headers and configuration of the Kokkos that this LAMMPS
  # build uses and link that build's shared Kokkos libraries (or none, when Kokkos is linked into
  # liblammps); never a Kokkos of our own.
  get_filename_component(_lmp_root "${LAMMPS_SOURCE_DIR}/.." ABSOLUTE)
  if(_lmp_ext_kokkos)
    find_package(Kokkos CONFIG QUIET)
    if(NOT Kokkos_FOUND)
      _reval_fail("this LAMMPS uses an external Kokkos (EXTERNAL_KOKKOS=on) that CMake cannot find."
        "pass -DKokkos_ROOT=<the Kokkos install that LAMMPS was built with>.")
    endif()
    target_link_libraries(reval_kokkos_api INTERFACE Kokkos::kokkos)
  else()
    set(_kk_cfg "${LAMMPS_BUILD_DIR}/lib/kokkos/KokkosCore_config.h")
    if(NOT EXISTS "${_kk_cfg}")
      _reval_fail("the KOKKOS configuration header ${_kk_cfg} of the LAMMPS build is missing."
        "pass the LAMMPS_BUILD_DIR in which LAMMPS with PKG_KOKKOS=on was built.")
    endif()
    set(_kk_inc "${_lmp_root}/lib/kokkos/core/src" "${_lmp_root}/lib/kokkos/containers/src"
                "${_lmp_root}/lib/kokkos/algorithms/src" "${LAMMPS_BUILD_DIR}/lib/kokkos"
                "${LAMMPS_BUILD_DIR}/lib/kokkos/core/src" "${LAMMPS_BUILD_DIR}/lib/kokkos/containers/src"
                "${LAMMPS_BUILD_DIR}/lib/kokkos/algorithms/src")
    # Kokkos 4.x: bundled desul atomics and mdspan (absent in 3.x)
    foreach(_tpl desul mdspan)
      if(EXISTS "${_lmp_root}/lib/kokkos/tpls/${_tpl}/include")
        list(APPEND _kk_inc "${_lmp_root}/lib/kokkos/tpls/${_tpl}/include")
      endif()
    endforeach()
    if(NOT EXISTS "${_lmp_root}/lib/kokkos/core/src/Kokkos_Core.hpp")
      _reval_fail("Kokkos sources are missing from ${_lmp_root}/lib/kokkos (Debian's LAMMPS tarball removes them)."
        "use the tree prepared by tools/bootstrap.sh, or restore lib/kokkos of the LAMMPS version you built.")
    endif()
    target_include_directories(reval_kokkos_api SYSTEM INTERFACE ${_kk_inc})
    # Kokkos built as part of LAMMPS with BUILD_SHARED_LIBS: link the very same shared libraries.
    file(GLOB _kk_libs "${LAMMPS_BUILD_DIR}/lib/kokkos/core/src/libkokkoscore${CMAKE_SHARED_LIBRARY_SUFFIX}"
                       "${LAMMPS_BUILD_DIR}/lib/kokkos/containers/src/libkokkoscontainers${CMAKE_SHARED_LIBRARY_SUFFIX}")
    if(_kk_libs)
      target_link_libraries(reval_kokkos_api INTERFACE ${_kk_libs})
    endif()
    if("OPENMP" IN_LIST REVAL_KOKKOS_BACKENDS)
      find_package(OpenMP REQUIRED COMPONENTS CXX)
      target_link_libraries(reval_kokkos_api INTERFACE OpenMP::OpenMP_CXX)
    endif()
    if(CMAKE_DL_LIBS)
      target_link_libraries(reval_kokkos_api INTERFACE ${CMAKE_DL_LIBS})
    endif()
  endif()
  target_include_directories(reval_lammps_api SYSTEM INTERFACE "${LAMMPS_SOURCE_DIR}/KOKKOS")
  target_compile_definitions(reval_lammps_api INTERFACE LMP_KOKKOS REVAL_ENABLE_KOKKOS)
endif()

message(STATUS "REVAL: LAMMPS ${REVAL_LAMMPS_VERSION_STRING} (${REVAL_LAMMPS_VERSION}) from ${_reval_lmp_origin}")
message(STATUS "REVAL:   sources ${LAMMPS_SOURCE_DIR}")
message(STATUS "REVAL:   build   ${LAMMPS_BUILD_DIR}")
message(STATUS "REVAL:   MPI ${_lmp_mpi}, sizes ${_lmp_sizes}, exceptions ${_lmp_exceptions}, "
               "KOKKOS ${REVAL_WITH_KOKKOS} ${REVAL_KOKKOS_BACKENDS}, lmp '${REVAL_LAMMPS_LMP}'")

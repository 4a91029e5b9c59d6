# REVAL_SANITIZE=ON: build REVAL's own code (core, plugin, tests) with AddressSanitizer and
# UndefinedBehaviorSanitizer, float-cast-overflow included, every finding fatal. The LAMMPS build is
# not instrumented; the lmp executable that the tests run therefore gets the sanitizer runtimes
# preloaded by a wrapper script, <build>/lmp-sanitized, which replaces REVAL_LAMMPS_LMP for the tests.
# tools/sanitize.sh configures, builds and runs the whole suite this way (doc/developer.md, "Sanitizers").
#
# Included by the top-level CMakeLists.txt before src/ and tests/, so that add_compile_options()
# reaches every REVAL target and nothing else (LAMMPS and GoogleTest are prebuilt).
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  message(FATAL_ERROR "\nREVAL: REVAL_SANITIZE=ON needs GCC or Clang (found ${CMAKE_CXX_COMPILER_ID}).\n"
                      "Fix: configure with -DCMAKE_CXX_COMPILER=g++ or without -DREVAL_SANITIZE=ON\n")
endif()

set(REVAL_SANITIZE_FLAGS -fsanitize=address,undefined -fsanitize=float-cast-overflow
    -fno-sanitize-recover=all -fno-omit-frame-pointer -g)
add_compile_options(${REVAL_SANITIZE_FLAGS})
add_link_options(-fsanitize=address,undefined -fsanitize=float-cast-overflow)

# The runtimes an uninstrumented executable needs in front of everything else to load the
# instrumented revalplugin.so (ASan must come first in the initial library list).
set(REVAL_SANITIZE_PRELOAD "")
foreach(_rt libasan.so libubsan.so)
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=${_rt} OUTPUT_VARIABLE _path
                  OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0 OR NOT IS_ABSOLUTE "${_path}" OR NOT EXISTS "${_path}")
    message(FATAL_ERROR "\nREVAL: REVAL_SANITIZE=ON: the compiler does not know its ${_rt} ('${_path}').\n"
                        "Fix: install the sanitizer runtimes (Debian: apt-get install libasan8 libubsan1, "
                        "part of gcc) or configure without -DREVAL_SANITIZE=ON\n")
  endif()
  get_filename_component(_path "${_path}" REALPATH)
  list(APPEND REVAL_SANITIZE_PRELOAD "${_path}")
endforeach()
string(REPLACE ";" ":" REVAL_SANITIZE_PRELOAD "${REVAL_SANITIZE_PRELOAD}")

# Defaults for processes that load LAMMPS (in-process test binaries, lmp): OpenMPI and LAMMPS leak
# by design at exit and on error paths, so leak checking is off there (it stays on for the unit tier).
set(REVAL_SANITIZE_LAMMPS_ASAN_DEFAULTS "detect_leaks=0")

# UBSAN_OPTIONS=log_path next to ASan (cmake/sanitize/ubsan_log_path.cpp): compiled into every test
# executable (cmake/RevalTestHarness.cmake) and preloaded into lmp.
add_library(reval_ubsan_log_path MODULE "${CMAKE_CURRENT_LIST_DIR}/sanitize/ubsan_log_path.cpp")
target_link_libraries(reval_ubsan_log_path PRIVATE ${CMAKE_DL_LIBS})
set_target_properties(reval_ubsan_log_path PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${PROJECT_BINARY_DIR}")
set(REVAL_SANITIZE_PRELOAD "${REVAL_SANITIZE_PRELOAD}:${PROJECT_BINARY_DIR}/${CMAKE_SHARED_MODULE_PREFIX}reval_ubsan_log_path${CMAKE_SHARED_MODULE_SUFFIX}")

if(REVAL_BUILD_PLUGIN AND REVAL_LAMMPS_LMP)
  set(REVAL_LAMMPS_LMP_UNINSTRUMENTED "${REVAL_LAMMPS_LMP}")
  set(REVAL_LAMMPS_LMP "${PROJECT_BINARY_DIR}/lmp-sanitized")
  file(CONFIGURE OUTPUT "${REVAL_LAMMPS_LMP}" @ONLY CONTENT [=[#!/bin/sh
# Written by cmake/RevalSanitize.cmake (REVAL_SANITIZE=ON): runs the uninstrumented lmp with the
# sanitizer runtimes preloaded, so that it can load the instrumented revalplugin.so.
# ASAN_OPTIONS / UBSAN_OPTIONS from the environment are kept (tools/sanitize.sh sets log_path there).
LD_PRELOAD="@REVAL_SANITIZE_PRELOAD@${LD_PRELOAD:+:$LD_PRELOAD}"
ASAN_OPTIONS="@REVAL_SANITIZE_LAMMPS_ASAN_DEFAULTS@${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
UBSAN_OPTIONS="print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export LD_PRELOAD ASAN_OPTIONS UBSAN_OPTIONS
exec "@REVAL_LAMMPS_LMP_UNINSTRUMENTED@" "$@"
]=])
  file(CHMOD "${REVAL_LAMMPS_LMP}" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                                               WORLD_READ WORLD_EXECUTE)
  message(STATUS "REVAL: sanitizers on (ASan + UBSan incl. float-cast-overflow); tests run lmp through ${REVAL_LAMMPS_LMP}")
else()
  message(STATUS "REVAL: sanitizers on (ASan + UBSan incl. float-cast-overflow)")
endif()

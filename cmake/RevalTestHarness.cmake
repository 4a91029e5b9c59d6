# Test registration. Every GoogleTest case becomes its own ctest test (own process: LAMMPS/Kokkos
# state never leaks between cases), named Reval_<Tier>_<Suite>.<Case>, with a label per tier:
#   unit    LAMMPS-free core (and build logic)        reval_add_unit_test()
#   lammps  in-process LAMMPS library + plugin load    reval_add_lammps_test(... LABELS lammps)
#   mpi     the same input at np 1, 2, 4 via mpirun    reval_add_lammps_test(... LABELS mpi PROCESSORS 2)
#   kokkos  -k on t 2 -sf kk                           reval_add_lammps_test(... LABELS kokkos PROCESSORS 2)
# Select tiers with `ctest -L unit`, `ctest -L mpi`, ...
include(GoogleTest)

# gtest_discover_tests() flattens list-valued PROPERTIES (LABELS a;b, ENVIRONMENT A=1;B=2 end up as
# separate words), so those are set here instead: a script run by ctest after the discovery of
# <target>'s tests sets them on every test of the discovered list <target>_TESTS.
function(_reval_discovered_test_list_properties target labels environment)
  set(_quoted "")
  foreach(_prop LABELS ENVIRONMENT)
    if(_prop STREQUAL "LABELS")
      set(_val "${labels}")
    else()
      set(_val "${environment}")
    endif()
    if(_val)
      string(REPLACE "\\" "\\\\" _val "${_val}")
      string(REPLACE "\"" "\\\"" _val "${_val}")
      string(REPLACE "$" "\\$" _val "${_val}")
      string(APPEND _quoted " ${_prop} \"${_val}\"")
    endif()
  endforeach()
  set(_file "${CMAKE_CURRENT_BINARY_DIR}/${target}_list_properties.cmake")
  file(WRITE "${_file}" "# written by cmake/RevalTestHarness.cmake\nforeach(_t IN LISTS ${target}_TESTS)\n"
                        "  set_tests_properties(\"\${_t}\" PROPERTIES${_quoted})\nendforeach()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${_file}")
endfunction()

# reval_add_unit_test(<name> SOURCES <src>... [LIBS <lib>...] [LABELS <label>...] [TIMEOUT s])
# LABELS adds labels to "unit" (e.g. fuzz).
function(reval_add_unit_test name)
  cmake_parse_arguments(A "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 300)
  endif()
  add_executable(${name} ${A_SOURCES})
  reval_sanitize_test_executable(${name})
  target_link_libraries(${name} PRIVATE reval::core GTest::gtest GTest::gtest_main ${A_LIBS})
  target_compile_options(${name} PRIVATE -Wall -Wextra)
  target_compile_definitions(${name} PRIVATE REVAL_SOURCE_DIR="${PROJECT_SOURCE_DIR}" REVAL_POTENTIALS_DIR="${REVAL_POTENTIALS_DIR}"
                                             REVAL_SHARED_DATA_DIR="${REVAL_SHARED_DATA_DIR}")
  gtest_discover_tests(${name} TEST_PREFIX "Reval_Unit_" DISCOVERY_MODE PRE_TEST
                       PROPERTIES LABELS unit TIMEOUT ${A_TIMEOUT})
  set(_labels unit ${A_LABELS})
  _reval_discovered_test_list_properties(${name} "${_labels}" "")
endfunction()

# reval_sanitize_test_executable(<target>): in a REVAL_SANITIZE build, UBSan reports of the executable
# follow UBSAN_OPTIONS=log_path (cmake/sanitize/ubsan_log_path.cpp).
function(reval_sanitize_test_executable target)
  if(REVAL_SANITIZE)
    target_sources(${target} PRIVATE "${PROJECT_SOURCE_DIR}/cmake/sanitize/ubsan_log_path.cpp")
    target_link_libraries(${target} PRIVATE ${CMAKE_DL_LIBS})
  endif()
endfunction()

# reval_sanitize_lammps_process(<target>): in a REVAL_SANITIZE build, an executable that runs LAMMPS
# in-process gets the sanitizer defaults of such processes (cmake/sanitize/lammps_process_defaults.cpp).
function(reval_sanitize_lammps_process target)
  reval_sanitize_test_executable(${target})
  if(REVAL_SANITIZE)
    target_sources(${target} PRIVATE "${PROJECT_SOURCE_DIR}/cmake/sanitize/lammps_process_defaults.cpp")
  endif()
endfunction()

# reval_add_lammps_test(<name> SOURCES <src>... LABELS <label> [PROCESSORS n] [TIMEOUT s])
function(reval_add_lammps_test name)
  cmake_parse_arguments(A "" "PROCESSORS;TIMEOUT" "SOURCES;LABELS;LIBS" ${ARGN})
  if(NOT A_PROCESSORS)
    set(A_PROCESSORS 1)
  endif()
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 600)
  endif()
  list(GET A_LABELS 0 _tier)
  string(SUBSTRING "${_tier}" 0 1 _first)
  string(TOUPPER "${_first}" _first)
  string(SUBSTRING "${_tier}" 1 -1 _rest)
  add_executable(${name} ${A_SOURCES})
  reval_sanitize_lammps_process(${name})
  target_link_libraries(${name} PRIVATE reval_test_support ${A_LIBS})
  target_compile_options(${name} PRIVATE -Wall -Wextra -Wno-unused-parameter)
  add_dependencies(${name} revalplugin)
  gtest_discover_tests(${name} TEST_PREFIX "Reval_${_first}${_rest}_" DISCOVERY_MODE PRE_TEST
                       DISCOVERY_TIMEOUT 60
                       PROPERTIES LABELS ${_tier} PROCESSORS ${A_PROCESSORS} TIMEOUT ${A_TIMEOUT})
  _reval_discovered_test_list_properties(${name} "${A_LABELS}" "${REVAL_TEST_ENVIRONMENT}")
endfunction()

# reval_add_script_test(<name> LABELS <label> COMMAND <cmd>...): a test that is a script (cmake -P, python)
function(reval_add_script_test name)
  cmake_parse_arguments(A "" "TIMEOUT" "LABELS;COMMAND" ${ARGN})
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 600)
  endif()
  add_test(NAME ${name} COMMAND ${A_COMMAND})
  set_tests_properties(${name} PROPERTIES LABELS "${A_LABELS}" TIMEOUT ${A_TIMEOUT}
                                         ENVIRONMENT "${REVAL_TEST_ENVIRONMENT}")
endfunction()

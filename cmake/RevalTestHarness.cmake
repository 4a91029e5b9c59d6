# Test registration. Every GoogleTest case becomes its own ctest test (own process: LAMMPS/Kokkos
# state never leaks between cases), named Reval_<Tier>_<Suite>.<Case>, with a label per tier:
#   unit    LAMMPS-free core (and build logic)        reval_add_unit_test()
#   lammps  in-process LAMMPS library + plugin load    reval_add_lammps_test(... LABELS lammps)
#   mpi     the same input at np 1, 2, 4 via mpirun    reval_add_lammps_test(... LABELS mpi PROCESSORS 2)
#   kokkos  -k on t 2 -sf kk                           reval_add_lammps_test(... LABELS kokkos PROCESSORS 2)
# Select tiers with `ctest -L unit`, `ctest -L mpi`, ...
include(GoogleTest)

# reval_add_unit_test(<name> SOURCES <src>... [LIBS <lib>...])
function(reval_add_unit_test name)
  cmake_parse_arguments(A "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${A_SOURCES})
  target_link_libraries(${name} PRIVATE reval::core GTest::gtest GTest::gtest_main ${A_LIBS})
  target_compile_options(${name} PRIVATE -Wall -Wextra)
  target_compile_definitions(${name} PRIVATE REVAL_SOURCE_DIR="${PROJECT_SOURCE_DIR}" REVAL_POTENTIALS_DIR="${REVAL_POTENTIALS_DIR}"
                                             REVAL_SHARED_DATA_DIR="${REVAL_SHARED_DATA_DIR}")
  gtest_discover_tests(${name} TEST_PREFIX "Reval_Unit_" DISCOVERY_MODE PRE_TEST
                       PROPERTIES LABELS unit TIMEOUT 300)
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
  target_link_libraries(${name} PRIVATE reval_test_support ${A_LIBS})
  target_compile_options(${name} PRIVATE -Wall -Wextra -Wno-unused-parameter)
  add_dependencies(${name} revalplugin)
  gtest_discover_tests(${name} TEST_PREFIX "Reval_${_first}${_rest}_" DISCOVERY_MODE PRE_TEST
                       DISCOVERY_TIMEOUT 60
                       PROPERTIES LABELS "${A_LABELS}" PROCESSORS ${A_PROCESSORS} TIMEOUT ${A_TIMEOUT}
                                  ENVIRONMENT "${REVAL_TEST_ENVIRONMENT}")
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

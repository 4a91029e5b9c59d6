/// @file require_kokkos.h
/// REVAL_REQUIRE_KOKKOS(): first line of every test of the /kk styles. Skips the test (returns from the
/// test body) when they cannot run here: LAMMPS without KOKKOS, a plugin built without Kokkos, or a
/// GPU build of LAMMPS on a machine without a GPU (CI never has one).
#pragma once

#include "lammps_session.h"

#include <gtest/gtest.h>

#include <string>

#define REVAL_REQUIRE_KOKKOS() REVAL_SKIP_UNLESS_KOKKOS_(true)
/// The same, for tests of the plugin under -k on that also hold for a plugin without /kk styles.
#define REVAL_REQUIRE_LAMMPS_KOKKOS() REVAL_SKIP_UNLESS_KOKKOS_(false)
#define REVAL_SKIP_UNLESS_KOKKOS_(need_plugin_kokkos)                                  \
  do {                                                                                 \
    const std::string reval_why_ = ::reval::test::kokkos_unavailable(need_plugin_kokkos); \
    if (!reval_why_.empty()) GTEST_SKIP() << reval_why_;                               \
  } while (0)
/// Tests whose every run needs several MPI ranks: skipped where LAMMPS is built with its MPI stubs.
#define REVAL_REQUIRE_MPI()                                                                 \
  do {                                                                                      \
    if (!::reval::test::lammps_has_mpi()) GTEST_SKIP() << "LAMMPS is built with its MPI stubs: no runs at several ranks"; \
  } while (0)

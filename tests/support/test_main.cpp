// main() of the LAMMPS-level test binaries: MPI and Kokkos live once per process.
#include "library.h"

#include <gtest/gtest.h>
#include <mpi.h>

int main(int argc, char **argv)
{
  MPI_Init(&argc, &argv);
  ::testing::InitGoogleTest(&argc, argv);
  int rv = RUN_ALL_TESTS();
  lammps_kokkos_finalize();
  MPI_Finalize();
  return rv;
}

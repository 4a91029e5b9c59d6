/// @file virial.hpp
/// Point kernel of the pair virial by the F.r sum (what LAMMPS' Pair::virial_fdotr_compute does):
/// the global virial of a pair style whose forces were tallied on owned and ghost atoms is
/// W_ab = sum_i r_i,a F_i,b over those atoms, in LAMMPS' order (xx, yy, zz, xy, xz, yz).
/// The plain pair styles loop it on the host, their /kk twins inside a reduction functor.
#pragma once

#include "kernels/point/reval_function.hpp"

namespace reval::kernels {

/// Adds atom i's term r_i (x) F_i to v[6] (energy units with r in distance and F in force units).
REVAL_FUNCTION void virial_fdotr_add(const double x[3], const double f[3], double v[6])
{
  v[0] += f[0] * x[0];
  v[1] += f[1] * x[1];
  v[2] += f[2] * x[2];
  v[3] += f[1] * x[0];
  v[4] += f[2] * x[0];
  v[5] += f[2] * x[1];
}

}    // namespace reval::kernels

#include "fix_force_error_report.h"

#include "compute_force_error.h"

#include "comm.h"
#include "error.h"
#include "modify.h"
#include "update.h"

#include <climits>
#include <cstring>

using namespace LAMMPS_NS;
using namespace FixConst;

FixForceErrorReport::FixForceErrorReport(LAMMPS *lmp, int narg, char **arg) : Fix(lmp, narg, arg)
{
  if (narg != 5) error->all(FLERR, "fix REVAL/FE/REPORT is internal to compute force/error");
  m_compute = arg[3];
  m_every = atoi(arg[4]);    // written by compute force/error: 0, or its checked 'every'
  if (m_every < 0) error->all(FLERR, "fix REVAL/FE/REPORT is internal to compute force/error");
  if (m_every > 0) {
    nevery = m_every;
    restart_global = 1;
  }
}

int FixForceErrorReport::setmask()
{
  return m_every > 0 ? END_OF_STEP : 0;    // post_run() is called for every fix
}

ComputeForceError *FixForceErrorReport::compute()
{
  const int ic = modify->find_compute(m_compute);
  return ic < 0 ? nullptr : dynamic_cast<ComputeForceError *>(modify->compute[ic]);
}

void FixForceErrorReport::init()
{
  if (!compute()) error->all(FLERR, "fix REVAL/FE/REPORT: compute " + m_compute + " of style force/error is gone");
}

// First step of a run (and every rerun frame): counted if due and not counted yet.
void FixForceErrorReport::setup(int)
{
  if (m_every <= 0) return;
  ComputeForceError *c = compute();
  if (!c) return;
  modify->clearstep_compute();
  c->accumulate_step();
  modify->addstep_compute_all(c->next_due(update->ntimestep));
}

void FixForceErrorReport::end_of_step()
{
  ComputeForceError *c = compute();
  if (!c) return;
  modify->clearstep_compute();
  c->accumulate_step();
  modify->addstep_compute(c->next_due(update->ntimestep));
}

void FixForceErrorReport::post_run()
{
  ComputeForceError *c = compute();
  if (!c) return;
  c->end_of_run();
  c->write_report();
}

void FixForceErrorReport::write_restart(FILE *fp)
{
  ComputeForceError *c = compute();
  std::vector<double> b;
  if (c) b = c->restart_state();    // collective
  if (comm->me != 0) return;
  if (b.empty()) b.push_back(0.0);    // no compute (deleted): nothing to restore
  const int size = static_cast<int>(b.size() * sizeof(double));
  fwrite(&size, sizeof(int), 1, fp);
  fwrite(b.data(), sizeof(double), b.size(), fp);
}

void FixForceErrorReport::restart(char *buf)
{
  double n = 0.0;
  memcpy(&n, buf, sizeof(double));
  m_restart.clear();
  if (n == 0.0) return;    // written without its compute
  if (!(n >= 2.0 && n <= static_cast<double>(INT_MAX / sizeof(double))))
    error->all(FLERR, "fix REVAL/FE/REPORT: the restart file holds no valid compute force/error statistics");
  m_restart.resize(static_cast<size_t>(n));
  memcpy(m_restart.data(), buf, m_restart.size() * sizeof(double));
}

std::vector<double> FixForceErrorReport::take_restart_state()
{
  std::vector<double> s;
  s.swap(m_restart);
  return s;
}

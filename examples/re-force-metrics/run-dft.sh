#!/bin/bash
# The DFT variant of re-force-metrics end to end: convert the public Si vacancy rare-event set (not part of
# REVAL; see prepare_dft.py for where it is looked for), rerun its 100 snapshots with the Si_Zuo_JPCA2020
# SNAP, count the vacancies per snapshot, and plot the CDFs of the two reports. Run from anywhere:
#   bash run-dft.sh
#   LMP=/path/to/lmp PLUGIN=/path/to/revalplugin.so DATA=/path/to/si-re-vacancy PLOT=no bash run-dft.sh
# Exit status 77 when the data are absent (nothing is run).
set -euo pipefail
cd "$(dirname "$0")"
LMP=${LMP:-lmp}
PLUGIN=${PLUGIN:-$(pwd)/../../build/revalplugin.so}
PYTHON=${PYTHON:-/usr/bin/python3}
PLOT=${PLOT:-yes}
LOG=${LOG:-log.lammps}
export LAMMPS_POTENTIALS=${LAMMPS_POTENTIALS:-/usr/share/lammps/potentials}

"$PYTHON" prepare_dft.py ${DATA:+--data "$DATA"} || exit $?
"$LMP" -in in.dft-force-metrics -var plugin "$PLUGIN" -log "$LOG"

# vacancies per snapshot, from the thermo table (columns: step pe vacancies doubly off-site migrating ...)
awk '$1 == "Step" && $2 == "PotEng" {t = 1; next} /^Loop time/ {t = 0}
     t && NF == 8 {n++; v[$3]++; if ($3 - $5 + $4 == 1) ok++; if ($6 > 0) m++}
     END {printf "vacancies (no atom within rvac) per snapshot:"; for (k = 0; k <= 8; k++) if (v[k]) printf " %d in %d,", k, v[k];
          printf " sites - atoms = vacancies - off-site atoms + doubly occupied = 1 in %d of %d snapshots;", ok, n;
          printf " snapshots with migrating atoms: %d\n", m}' "$LOG"

if [ "$PLOT" = yes ]; then
  "$PYTHON" ../../tools/reval_plots.py cdf report-dft-all.txt:"all atoms" report-dft-migrating.txt:"migrating atoms" \
    -o cdf-dft.png
fi

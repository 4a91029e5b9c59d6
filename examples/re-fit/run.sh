#!/usr/bin/env bash
# examples/re-fit: the experiment of Liu, He & Mo (npj Comput. Mater. 9, 174, 2023) for SNAP, end to end
# with REVAL (README.md):
#   6a  Zuo's settings fitted on the original mlearn-Si training set vs the shipped Si_Zuo_JPCA2020
#       (metrics on the mlearn test set: reval-fit --evaluate for the shipped model)
#   6b  the same settings on the interstitial-enhanced training set, with and without re_fweight,
#       linear and quadratic
#   6c  every model scored on the vacancy rare-event test set (P on the authors' migrating atoms) and
#       ranked by tools/reval_select.py: table and plot; the selected model
#   6d  MD of a self-interstitial (in.si-interstitial, fix re/stats) with the shipped and the selected
#       model: split-<110> / tetrahedral / hexagonal occurrence, hops, D
# usage: bash run.sh [--quick] [--np N]
#   --quick  CI-sized variant: twojmax 4, MD 2 ps (the data and every step are the same)
#   --np N   MPI ranks for reval-fit (default 2 when reval-fit has MPI; results do not depend on N)
# Environment: REVAL_BUILD_DIR (default build/), REVAL_SHARED_DATA (default ../shared/data of the repository),
# RE_FIT_RUN (output folder, default run/ or run-quick/ here), RE_FWEIGHT (default 5), MD_PS (40), MD_TEMP (1230).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="${REVAL_BUILD_DIR:-$repo/build}"
quick=0
np=2
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --np) np="$2"; shift ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
fit="$build/reval-fit"
plugin="$build/revalplugin.so"
[ -x "$fit" ] && [ -f "$plugin" ] || { echo "run.sh: build REVAL first (bash tools/build.sh): no $fit or $plugin" >&2; exit 1; }
env_file="${REVAL_CACHE:-$HOME/.cache/reval}/lammps/current/reval-lammps.env"
# shellcheck disable=SC1090
[ -n "${LMP:-}" ] || { [ -f "$env_file" ] && . "$env_file"; }
: "${LMP:?run.sh: set LMP to the lmp binary (or run tools/build.sh once)}"
export LAMMPS_POTENTIALS="${LAMMPS_POTENTIALS:-/usr/share/lammps/potentials}"
py=/usr/bin/python3
w=${RE_FWEIGHT:-5}
temp=${MD_TEMP:-1230}
ps=${MD_PS:-40}
run="$here/run"
twojmax=8
if [ "$quick" = 1 ]; then run="$here/run-quick"; twojmax=4; ps=2; fi
run="${RE_FIT_RUN:-$run}"
shared="${REVAL_SHARED_DATA:-$repo/../shared/data}"
mpi=()
if [ "$np" -gt 1 ] && "$fit" --version 2>/dev/null | grep -q MPI; then
  mpi=(mpirun -np "$np" --oversubscribe); [ "$(id -u)" = 0 ] && mpi+=(--allow-run-as-root)
fi
mkdir -p "$run"
cd "$run"
echo "[re-fit] data -> $run/data"
$py "$here/prepare.py" --shared "$shared" --out data > prepare.log

# the fits: every input derives from mlearn-linear.in (sed edits shown here are the whole difference)
make_input() {    # name training(mlearn|inter) quadraticflag re_fweight
  local name="$1" set="$2" quad="$3" rew="$4"
  local e=(-e "s/^twojmax = .*/twojmax = $twojmax/" -e "s/^quadraticflag = .*/quadraticflag = $quad/"
           -e "s/mlearn-linear/$name/g")
  if [ "$set" = inter ]; then
    e+=(-e 's/^AIMD-NVT = .*/inter-base = 1.0 0.0 100 1 0\ninter-re = 1.0 0.0 100 1 0/'
        -e '/^Elastic = /d' -e '/^Surface = /d' -e '/^Vacancy = /d'
        -e "s/^seed = 2023/seed = 2023\nre_sites = none\nre_sites.inter-re = lattice diamond 5.4685\nre_fweight = $rew/")
  fi
  sed "${e[@]}" "$here/mlearn-linear.in" > "$name.in"
}
models=(mlearn-linear mlearn-quadratic inter-linear inter-linear-re inter-quadratic inter-quadratic-re)
make_input mlearn-linear mlearn 0 1
make_input mlearn-quadratic mlearn 1 1
make_input inter-linear inter 0 1
make_input inter-linear-re inter 0 "$w"
make_input inter-quadratic inter 1 1
make_input inter-quadratic-re inter 1 "$w"
for m in "${models[@]}"; do
  echo "[re-fit] reval-fit $m.in ${mpi[*]:+(${mpi[*]})}"
  "${mpi[@]}" "$fit" --quiet "$m.in"
done
zuo=()
if [ "$quick" = 0 ]; then
  echo "[re-fit] reval-fit --evaluate: shipped Si_Zuo_JPCA2020 on the same groups"
  "$fit" --quiet --evaluate "$LAMMPS_POTENTIALS/Si_Zuo_JPCA2020.snapcoeff" "$LAMMPS_POTENTIALS/Si_Zuo_JPCA2020.snapparam" \
    --metrics Si_Zuo_JPCA2020.md mlearn-linear.in
  zuo=(--model Si_Zuo_JPCA2020 "pair_style snap; pair_coeff * * $LAMMPS_POTENTIALS/Si_Zuo_JPCA2020.snapcoeff $LAMMPS_POTENTIALS/Si_Zuo_JPCA2020.snapparam Si")
fi

echo "[re-fit] selection on the vacancy RE test set (tools/reval_select.py)"
sel=()
for m in "${models[@]}"; do sel+=(--model "$m" "pair_style snap; pair_coeff * * $run/$m.snapcoeff $run/$m.snapparam Si"); done
$py "$repo/tools/reval_select.py" "${zuo[@]}" "${sel[@]}" --set vacancy-RE data/vacancy-re.xyz --lmp "$LMP" \
  --plugin "$plugin" --out selection.md --plot selection.png > select.log
selected="$(sed -n 's/^selected: //p' selection.md)"
[ "$selected" = Si_Zuo_JPCA2020 ] && selected=inter-linear-re    # the MD compares against a refit

echo "[re-fit] MD: self-interstitial at $temp K for $ps ps, shipped vs selected ($selected)"
steps=$((ps * 1000))
md() {    # label coeff param
  mkdir -p "md-$1"
  (cd "md-$1" && "$LMP" -in "$repo/examples/si-interstitial/in.si-interstitial" -var plugin "$plugin" -var temp "$temp" \
     -var nsteps "$steps" -var label "$1" -var coeff "$2" -var param "$3" -echo none -nocite -log log.lammps > screen.txt)
}
md Si_Zuo_JPCA2020 "$LAMMPS_POTENTIALS/Si_Zuo_JPCA2020.snapcoeff" "$LAMMPS_POTENTIALS/Si_Zuo_JPCA2020.snapparam"
md "$selected" "$run/$selected.snapcoeff" "$run/$selected.snapparam"

$py "$here/summary.py" "$run" "${models[@]}" > results.md
cat results.md

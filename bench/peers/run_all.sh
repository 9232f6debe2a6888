#!/usr/bin/env bash
# Runs every peer benchmark that can run here (exit status 3 = skipped, with the reason), then
# schedlab's own cases, so the ratios come from one machine in one session.
# Usage: bench/peers/run_all.sh   (see bench/peers/README.md for what each needs)
set -uo pipefail
cd "$(dirname "$0")"
for script in gymnasium_cartpole.py deeprm_env.py rlscheduler_env.py cleanrl_ppo_cartpole.py sb3_ppo_cartpole.py sb3_dqn_cartpole.py; do
  echo "== $script"
  python3 "$script"
  rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then echo "$script failed (exit $rc)" >&2; fi
done
echo "== schedlab (npm run bench)"
cd ../.. && npm run --silent bench

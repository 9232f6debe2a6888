"""CleanRL's ppo.py with its defaults on CartPole-v1 (4 envs x 128 steps, ...), 50k steps, one thread:
runs CleanRL's own script and reports the SPS it prints at its last iteration.
Peer figure: 10,416-11,346 steps/s.   CLEANRL_PPO=/path/to/cleanrl/cleanrl/ppo.py python cleanrl_ppo_cartpole.py
(needs CleanRL's requirements: torch, gymnasium, tyro, tensorboard)"""
import os
import re
import subprocess
import sys

script = os.environ.get("CLEANRL_PPO")
if not script or not os.path.isfile(script):
    print("skipped: set CLEANRL_PPO to CleanRL's cleanrl/ppo.py (https://github.com/vwxyzjn/cleanrl)", file=sys.stderr)
    sys.exit(3)
env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
rates = []
for seed in (1, 2, 3):
    out = subprocess.run([sys.executable, script, "--env-id", "CartPole-v1", "--total-timesteps", "50000", "--seed", str(seed), "--no-cuda"],
                         env=env, capture_output=True, text=True, check=True, cwd=os.path.dirname(script))
    sps = re.findall(r"SPS:\s*(\d+)", out.stdout + out.stderr)
    rates.append(int(sps[-1]))
    print(f"seed {seed}: {rates[-1]:,} steps/s", flush=True)
print(f"CleanRL ppo.py CartPole-v1 defaults: {min(rates):,}-{max(rates):,} steps/s")

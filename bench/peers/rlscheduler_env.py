"""RLScheduler's HPC environment (Zhang et al., SC 2020; DIR-LAB/deep-batch-scheduler, HPCSimPickJobs.py)
on Lublin-1 (lublin_256.swf), 256-job episodes, random valid actions (a visible job), without and with
backfilling. Reports steps/s of step() alone and with reset() included.
Peer figures: 7.0-7.4k steps/s (5.5-5.8k incl. reset) without backfilling, 11.9-13.6k with.
RLSCHEDULER_DIR=/path/to/deep-batch-scheduler python rlscheduler_env.py (needs numpy, gym, scipy as its requirements say)"""
import os
import time

import numpy as np

from common import measure, need_dir

root = need_dir("RLSCHEDULER_DIR", "RLScheduler (https://github.com/DIR-LAB/deep-batch-scheduler)")
os.chdir(root)
import HPCSimPickJobs as hpc  # noqa: E402

EPISODES = 40
PAD = [0] + [1] * (hpc.JOB_FEATURES - 2) + [0]  # the observation row of an empty queue slot


def make(backfil):
    env = hpc.HPCEnv(shuffle=False, backfil=backfil, skip=False, job_score_type=0, batch_job_slice=0, build_sjf=False)
    env.seed(0)
    env.my_init(workload_file=os.path.join(root, "data", "lublin_256.swf"))
    return env


def run(env, with_reset):
    rng = np.random.default_rng(0)
    steps = 0
    stepping = 0.0
    t0 = time.perf_counter()
    for _ in range(EPISODES):
        o = env.reset()
        done = False
        while not done:
            rows = np.asarray(o).reshape(hpc.MAX_QUEUE_SIZE, hpc.JOB_FEATURES)
            valid = [i for i, row in enumerate(rows) if list(row) != PAD]
            a = int(rng.choice(valid)) if valid else 0
            s0 = time.perf_counter()
            o, _, done, *_ = env.step(a)
            stepping += time.perf_counter() - s0
            steps += 1
    total = time.perf_counter() - t0
    # measure() divides by its own wall time; give it the steps scaled to the part being measured.
    return steps if with_reset else steps * total / stepping


for backfil in (False, True):
    env = make(backfil)
    label = "with backfilling" if backfil else "no backfilling"
    measure(f"RLScheduler Lublin-1 256-job episodes, {label}, step() only", lambda: run(env, False), repeats=3)
    measure(f"RLScheduler Lublin-1 256-job episodes, {label}, resets included", lambda: run(env, True), repeats=3)

"""DeepRM's environment (Mao et al., HotNets 2016; a Python 3 port of hongzimao/deeprm): its defaults,
image observation, uniformly random actions over num_nw + 1, resets included (a new job sequence per
episode, as schedlab's ClusterScheduling-v0 random-policy case).
Peer figure: 48-52k steps/s.   DEEPRM_DIR=/path/to/deeprm python deeprm_env.py (needs numpy)"""
import numpy as np

from common import measure, need_dir

need_dir("DEEPRM_DIR", "DeepRM (https://github.com/hongzimao/deeprm, ported to Python 3: print(), range, //)")
import environment  # noqa: E402  (DeepRM's modules)
import parameters  # noqa: E402

STEPS = 100_000

pa = parameters.Parameters()
pa.compute_dependent_parameters()
np.random.seed(0)
env = environment.Env(pa, render=False, repre="image")


def run():
    env.reset()
    for _ in range(STEPS):
        # At an episode's end DeepRM's step() moves to the next sequence and resets by itself.
        env.step(np.random.randint(pa.num_nw + 1), repeat=False)
    return STEPS


measure("DeepRM env, image observation, random actions (resets included)", run)

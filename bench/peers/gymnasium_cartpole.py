"""Gymnasium 1.0 CartPole-v1 with random actions: `make` + `action_space.sample()` (the wrapped env, as
schedlab's `make` + sample case), and the bare env (CartPoleEnv without wrappers). Resets included.
Peer figure: 157k steps/s (make + sample), 229k bare.   pip install gymnasium==1.0.0"""
import gymnasium as gym
from gymnasium.envs.classic_control.cartpole import CartPoleEnv

from common import measure

STEPS = 200_000


def run(env):
    env.reset(seed=0)
    env.action_space.seed(0)
    for _ in range(STEPS):
        _, _, terminated, truncated, _ = env.step(env.action_space.sample())
        if terminated or truncated:
            env.reset()
    return STEPS


wrapped = gym.make("CartPole-v1")
measure("Gymnasium CartPole-v1, make + sample", lambda: run(wrapped))
bare = CartPoleEnv()
measure("Gymnasium CartPole-v1, bare env", lambda: run(bare))

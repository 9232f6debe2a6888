"""Stable-Baselines3 DQN with its defaults on CartPole-v1: training throughput over 20,000 steps, one
thread, CPU.   Peer figure: 3,947-4,364 steps/s.   pip install stable-baselines3==2.4.0 gymnasium==1.0.0"""
import time

import torch
from stable_baselines3 import DQN

torch.set_num_threads(1)
STEPS = 20_000
rates = []
for seed in range(3):
    model = DQN("MlpPolicy", "CartPole-v1", seed=seed, device="cpu", verbose=0)
    t0 = time.perf_counter()
    model.learn(STEPS)
    rates.append(STEPS / (time.perf_counter() - t0))
    print(f"seed {seed}: {rates[-1]:,.0f} steps/s", flush=True)
print(f"SB3 DQN CartPole-v1 defaults: {min(rates):,.0f}-{max(rates):,.0f} steps/s")

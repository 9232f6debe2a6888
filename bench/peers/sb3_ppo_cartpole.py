"""Stable-Baselines3 2.4 PPO with its defaults on CartPole-v1: training throughput over 51,200 steps
(25 rollouts of 2048), one thread, CPU; then a deterministic evaluation (10 episodes).
Peer figure: 3,442-3,700 steps/s; deterministic eval 500.   pip install stable-baselines3==2.4.0 gymnasium==1.0.0"""
import time

import torch
from stable_baselines3 import PPO
from stable_baselines3.common.evaluation import evaluate_policy

torch.set_num_threads(1)
STEPS = 51_200
rates = []
for seed in range(3):
    model = PPO("MlpPolicy", "CartPole-v1", seed=seed, device="cpu", verbose=0)
    t0 = time.perf_counter()
    model.learn(STEPS)
    rates.append(STEPS / (time.perf_counter() - t0))
    mean, std = evaluate_policy(model, model.get_env(), n_eval_episodes=10, deterministic=True)
    print(f"seed {seed}: {rates[-1]:,.0f} steps/s, deterministic eval {mean:.1f} ± {std:.1f}", flush=True)
print(f"SB3 PPO CartPole-v1 defaults: {min(rates):,.0f}-{max(rates):,.0f} steps/s")

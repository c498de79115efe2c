"""Writes results_cifar10_first50.json: the first 50 val and test nets and the first 2 nets of every other split of
ppuda's published data/results_cifar10.json (ppuda HEAD 4673a42), values unchanged, key order kept.

    git -C <ppuda> show HEAD:data/results_cifar10.json | python3 derive_results.py > results_cifar10_first50.json
"""
import json
import sys

full = json.load(sys.stdin)
out = {split: {k: v for k, v in list(nets.items())[: 50 if split in ("val", "test") else 2]}
       for split, nets in full.items()}
json.dump(out, sys.stdout, separators=(",", ":"))
sys.stdout.write("\n")

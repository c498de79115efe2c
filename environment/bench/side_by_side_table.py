"""Prints the side-by-side table from the raw outputs of side-by-side.sh (ppuda JSON lines, ghn4j text tables)."""
import glob
import json
import os
import re
import statistics
import sys


def ppuda_ghn(path):
    rows = [json.loads(l) for l in open(path) if l.startswith('{')]
    return {r['case']: r for r in rows if 'case' in r}


def ghn4j_ghn(path):
    # "ResNet-50   161   23500000   812.3   901.2   812.3/901.2"
    out = {}
    for line in open(path):
        m = re.match(r'(ResNet-50|ViT)\s+\d+\s+\d+\s+([\d.]+)\s+([\d.]+)', line)
        if m:
            out[m.group(1)] = (float(m.group(2)), float(m.group(3)))
    return out


def rep_of(path):
    return int(re.search(r'-r(\d+)\.', path).group(1))


def table_ghn(out):
    print('| threads | case | mode | rep | ppuda graph ms | ppuda fwd ms | ppuda total ms | ghn4j total ms | ghn4j/ppuda |')
    print('|---|---|---|---|---|---|---|---|---|')
    for t in sorted({re.search(r'-t(\d+)-', p).group(1) for p in glob.glob(f'{out}/ghn-ppuda-t*-r*.json')}):
        for case in ['ResNet-50', 'ViT']:
            for mode, key, idx in [('no-grad', 'nograd', 0), ('autograd', 'autograd', 1)]:
                ours, ref, graph, fwd = [], [], [], []
                for p in sorted(glob.glob(f'{out}/ghn-ppuda-t{t}-r*.json'), key=rep_of):
                    r = rep_of(p)
                    q = f'{out}/ghn-ghn4j-t{t}-r{r}.txt'
                    if not os.path.exists(q) or case not in ghn4j_ghn(q):
                        continue
                    pp, gj = ppuda_ghn(p)[case], ghn4j_ghn(q)[case][idx]
                    ref.append(pp[f'total_{key}_ms']); graph.append(pp['graph_ms'])
                    fwd.append(pp[f'forward_{key}_ms']); ours.append(gj)
                    print(f'| {t} | {case} | {mode} | {r} | {graph[-1]:.0f} | {fwd[-1]:.0f} | {ref[-1]:.0f} | '
                          f'{gj:.0f} | {gj / ref[-1]:.2f} |')
                if ref:
                    m = statistics.median
                    print(f'| {t} | {case} | {mode} | **median** | {m(graph):.0f} | {m(fwd):.0f} | {m(ref):.0f} | '
                          f'{m(ours):.0f} | **{m(ours) / m(ref):.2f}** |')


def time_v(path, key):
    for line in open(path):
        if key in line:
            return line.split(':', 1)[1].strip()
    return None


def table_train(out):
    print('| meta-batch | rep | ppuda s/step (update only) | ppuda s/step (+ build nets & graphs) | ppuda peak RSS MB | '
          'ghn4j s/step | ghn4j peak RSS MB | ghn4j / ppuda (full step) | ghn4j / ppuda (update only) |')
    print('|---|---|---|---|---|---|---|---|---|')
    for p in sorted(glob.glob(f'{out}/train-ppuda-m*-r*.json')):
        mb, r = re.search(r'-m(\d+)-r(\d+)', p).groups()
        pp = [json.loads(l) for l in open(p) if l.startswith('{')][-1]
        q = f'{out}/train-ghn4j-m{mb}-r{r}'
        m = re.search(r'\|\s*\d+\s*\|\s*\d+\s*\|\s*\d+\s*\|\s*([\d.]+)\s*\|', open(q + '.txt').read())
        ours = float(m.group(1)) if m else float('nan')
        rss_p = int(time_v(p[:-5] + '.err', 'Maximum resident set size')) / 1024
        rss_o = int(time_v(q + '.err', 'Maximum resident set size')) / 1024
        print(f"| {mb} | {r} | {pp['update_s_median']:.2f} | {pp['step_s_median']:.2f} | {rss_p:.0f} | {ours:.2f} | "
              f"{rss_o:.0f} | {ours / pp['step_s_median']:.2f} | {ours / pp['update_s_median']:.2f} |")


if __name__ == '__main__':
    (table_ghn if sys.argv[1] == 'ghn' else table_train)(sys.argv[2])

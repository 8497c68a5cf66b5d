#!/usr/bin/env python3
"""The layout is the architecture: data flows one way through the stage
folders of src/core, and the core never reaches into the CLI.

    shared (src/core/*.c|h) < input < x509 < path, net < online < check
      < report < serve < cli

A file may include headers of its own stage and of the stages below it;
path and net stand beside each other and include neither.  Every include
of a core header is written with its stage folder ("x509/model.h"), so the
stage is read from the include itself.  Every stage folder has a README.

Usage: check_layout.py SRC_DIR   (exit 1 and one line per violation)
"""
import os
import re
import sys

RANK = {'': 0, 'input': 1, 'x509': 2, 'path': 3, 'net': 3, 'online': 4,
        'check': 5, 'report': 6, 'serve': 7}
SIBLINGS = {('path', 'net'), ('net', 'path')}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def stage_of(rel):
    """Stage of a path relative to src/core ('' for the shared files)."""
    head = rel.split('/')[0] if '/' in rel else ''
    return head


def check(src):
    core = os.path.join(src, 'core')
    cli = os.path.join(src, 'cli')
    cli_headers = set(os.listdir(cli)) if os.path.isdir(cli) else set()
    problems = []
    for stage in RANK:
        if stage and os.path.isdir(os.path.join(core, stage)) and \
                not os.path.exists(os.path.join(core, stage, 'README.md')):
            problems.append(f'src/core/{stage}/ has no README.md')
    for dirpath, _, names in os.walk(core):
        for name in sorted(names):
            if not name.endswith(('.c', '.h')):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, core)
            mine = stage_of(rel)
            if mine not in RANK:
                problems.append(f'src/core/{rel}: unknown stage folder '
                                f'{mine!r}')
                continue
            with open(path, encoding='utf-8') as f:
                text = f.read()
            for inc in INCLUDE.findall(text):
                if inc == 'cs_config.h':
                    continue
                if inc in cli_headers or inc.startswith('cli/'):
                    problems.append(f'src/core/{rel}: includes CLI header '
                                    f'"{inc}"')
                    continue
                target = stage_of(inc)
                if target not in RANK:
                    problems.append(f'src/core/{rel}: "{inc}" names no '
                                    'stage folder')
                    continue
                if '/' not in inc and not os.path.exists(
                        os.path.join(core, inc)):
                    problems.append(f'src/core/{rel}: "{inc}" is not a '
                                    'shared header; write its stage folder')
                    continue
                if (mine, target) in SIBLINGS or RANK[target] > RANK[mine]:
                    problems.append(
                        f'src/core/{rel}: stage {mine or "shared"!s} '
                        f'includes "{inc}" of stage {target}, which it must '
                        'not use (data flows input -> x509 -> path -> report,'
                        ' net beside path)')
    return problems


def self_test():
    """The checker must catch an upward include and a CLI include."""
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        for sub in ('core/x509', 'core/path', 'cli'):
            os.makedirs(os.path.join(d, sub))
        for sub in ('x509', 'path'):
            open(os.path.join(d, 'core', sub, 'README.md'), 'w').close()
        open(os.path.join(d, 'cli', 'cli.h'), 'w').close()
        with open(os.path.join(d, 'core', 'x509', 'a.c'), 'w') as f:
            f.write('#include "path/chain.h"\n#include "x509/a.h"\n')
        with open(os.path.join(d, 'core', 'path', 'b.c'), 'w') as f:
            f.write('#include "cli.h"\n#include "x509/a.h"\n')
        got = check(d)
    want = ['x509/a.c: stage x509 includes "path/chain.h"',
            'path/b.c: includes CLI header "cli.h"']
    bad = [w for w in want if not any(w in g for g in got)]
    if bad or len(got) != 2:
        print('self-test failed: got', got)
        return 1
    return 0


def main():
    if self_test():
        return 1
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1])
        return 2
    problems = check(sys.argv[1])
    for p in problems:
        print(p)
    if not problems:
        print('layout: every include flows down the stages')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())

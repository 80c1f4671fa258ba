#!/usr/bin/env python3
"""Checks the Jobs that scripts/k8s/job.sh prints (no cluster here to apply them).

    scripts/k8s/job.sh | scripts/k8s/validate.py            (or: validate.py FILE)

Parses the YAML (PyYAML) and checks what the API server requires of a batch/v1 Job and
what the encoding needs: an Indexed Job with completions = parallelism = SHARD_COUNT, the
shard index from the completion-index annotation, and a merge Job; restartPolicy Never or
OnFailure, containers with a name, an image and a command; and each container's script
equal to the task text of scripts/slurm/ingest-array.sbatch or merge.sbatch. Exit 0 and
one line when everything holds, else exit 1 and every problem found.
"""

import pathlib
import re
import sys

import yaml

SLURM = pathlib.Path(__file__).resolve().parent.parent / "slurm"
INDEX_FIELD = "metadata.annotations['batch.kubernetes.io/job-completion-index']"
NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def task_text(path, marker):
    """The lines of a .sbatch file after the line starting with marker."""
    lines = path.read_text().splitlines(keepends=True)
    for at, line in enumerate(lines):
        if line.startswith(marker):
            return "".join(lines[at + 1 :])
    return None


def check_job(job, problems):
    """The fields every Job needs; returns its first container (or None)."""
    where = f"Job {job.get('metadata', {}).get('name', '?')!r}"

    def need(ok, what):
        if not ok:
            problems.append(f"{where}: {what}")
        return ok

    need(job.get("apiVersion") == "batch/v1", "apiVersion is not batch/v1")
    need(job.get("kind") == "Job", "kind is not Job")
    name = job.get("metadata", {}).get("name")
    need(isinstance(name, str) and len(name) <= 63 and NAME.match(name),
         "metadata.name is not a DNS label")
    spec = job.get("spec")
    if not need(isinstance(spec, dict), "no spec"):
        return None
    for field in ("completions", "parallelism", "backoffLimit"):
        value = spec.get(field)
        need(value is None or (isinstance(value, int) and value >= 0),
             f"spec.{field} is not a non-negative integer")
    pod = spec.get("template", {}).get("spec")
    if not need(isinstance(pod, dict), "no spec.template.spec"):
        return None
    need(pod.get("restartPolicy") in ("Never", "OnFailure"),
         "restartPolicy is not Never or OnFailure")
    containers = pod.get("containers")
    if not need(isinstance(containers, list) and containers, "no containers"):
        return None
    for c in containers:
        need(isinstance(c.get("name"), str) and NAME.match(c["name"]),
             "a container without a DNS-label name")
        need(isinstance(c.get("image"), str) and c["image"], "a container without an image")
        command = c.get("command")
        need(isinstance(command, list) and command and all(isinstance(a, str) for a in command),
             "a container without a command (a list of strings)")
    mounts = {m.get("name") for c in containers for m in c.get("volumeMounts", [])}
    volumes = {v.get("name") for v in pod.get("volumes", [])}
    need(mounts <= volumes, f"volumeMounts without a volume: {sorted(mounts - volumes)}")
    return containers[0]


def env_of(container):
    """The container's env as a dict of name to value (or to valueFrom)."""
    return {e.get("name"): e.get("value", e.get("valueFrom")) for e in container.get("env", [])}


def main():
    text = open(sys.argv[1]).read() if len(sys.argv) > 1 else sys.stdin.read()
    problems = []
    try:
        jobs = [doc for doc in yaml.safe_load_all(text) if doc is not None]
    except yaml.YAMLError as e:
        print(f"not YAML: {e}", file=sys.stderr)
        return 1
    shard_script = task_text(SLURM / "ingest-array.sbatch", "# shard task")
    merge_script = task_text(SLURM / "merge.sbatch", "# merge task")
    indexed = [j for j in jobs if j.get("spec", {}).get("completionMode") == "Indexed"]
    others = [j for j in jobs if j not in indexed]
    if len(indexed) != 1 or len(others) != 1:
        problems.append(f"expected one Indexed Job and one merge Job, got {len(jobs)} documents")

    for job in indexed:
        shard = check_job(job, problems)
        spec = job.get("spec", {})
        n = spec.get("completions")
        if not (isinstance(n, int) and n >= 1):
            problems.append("the Indexed Job has no spec.completions >= 1")
        elif not (isinstance(spec.get("parallelism"), int) and 1 <= spec["parallelism"] <= n):
            problems.append("spec.parallelism is not between 1 and spec.completions")
        if shard is not None:
            env = env_of(shard)
            if env.get("SHARD_INDEX") != {"fieldRef": {"fieldPath": INDEX_FIELD}}:
                problems.append("SHARD_INDEX is not the job-completion-index annotation")
            if env.get("SHARD_COUNT") != str(n):
                problems.append(f"SHARD_COUNT {env.get('SHARD_COUNT')!r} is not completions {n}")
            if shard.get("command") != ["sh", "-c", shard_script]:
                problems.append("the shard command is not the task of ingest-array.sbatch")
    for job in others:
        merge = check_job(job, problems)
        if merge is not None and merge.get("command") != ["sh", "-c", merge_script]:
            problems.append("the merge command is not the task of merge.sbatch")

    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        return 1
    n = indexed[0]["spec"]["completions"]
    print(f"k8s: an Indexed Job of {n} shards and a merge Job, both valid batch/v1 Jobs")
    return 0


if __name__ == "__main__":
    sys.exit(main())

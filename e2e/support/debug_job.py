"""A Ray job that misbehaves in known ways, for the console's debugging pages (e2e and integration tests).

    python debug_job.py fail    # 40 `square` tasks succeed, then a `divide` task prints the traceback of
                                # ValueError("e2e boom on item 3") to its stderr and raises it; the driver
                                # exits with that exception (job FAILED, first failure: a task)
    python debug_job.py stuck   # asks for a resource no node has and waits for it forever (stop the job)
    python debug_job.py actors  # one actor raises in __init__ ("e2e actor init boom"), one is ray.kill()ed;
                                # the job itself succeeds

Each line it prints is a fact a test can wait on ("submitted ...", "waiting ...").
"""

import sys
import time
import traceback

import ray

# A resource no node of the test head has, so the task is infeasible (the autoscaler reports it).
UNOBTAINABLE = "e2e_unobtainium"
BOOM = "e2e boom on item 3"


@ray.remote
def square(x):
    return x * x


def parse_item(x):
    if x == 3:
        raise ValueError(BOOM)
    return 12 / (x + 1)


@ray.remote(max_retries=0)
def divide(x):
    try:
        return parse_item(x)
    except ValueError:
        # What real code often does: log the traceback on the worker (its stderr), then let Ray report it.
        # Ray itself writes a task's exception only to the driver, not to the worker's log.
        traceback.print_exc()
        raise


@ray.remote(resources={UNOBTAINABLE: 1})
def needs_unobtainium():
    return "never runs"


@ray.remote
class Broken:
    def __init__(self):
        raise RuntimeError("e2e actor init boom")

    def ping(self):
        return "never answers"


@ray.remote
class Counter:
    def ping(self):
        return "pong"


def actors():
    broken = Broken.remote()
    try:
        ray.get(broken.ping.remote())
    except ray.exceptions.RayActorError as err:
        print(f"broken actor died: {type(err).__name__}", flush=True)
    counter = Counter.remote()
    print(ray.get(counter.ping.remote()), flush=True)
    ray.kill(counter)
    print("killed the counter", flush=True)


def fail():
    print(sum(ray.get([square.remote(i) for i in range(40)])), flush=True)
    refs = [divide.remote(i) for i in range(6)]
    print("submitted divide tasks", flush=True)
    try:
        ray.get(refs)
    except ray.exceptions.RayTaskError:
        # A worker reports where its task wrote (pid, log offsets) with its task events about once a second;
        # when the driver exits at once, Ray stops the job's workers and that last report can be lost, and
        # then Ray cannot find the task's part of the log (the console says so and offers the worker's
        # files). This job stands for a driver that outlives its failed task by a few seconds (it cleans
        # up, say), so the tests see the usual case.
        print("a divide task failed; cleaning up", flush=True)
        time.sleep(3)
        raise


def stuck():
    ref = needs_unobtainium.remote()
    print(f"waiting for a task that needs {UNOBTAINABLE}", flush=True)
    ray.get(ref)


if __name__ == "__main__":
    ray.init()
    {"fail": fail, "stuck": stuck, "actors": actors}[sys.argv[1]]()

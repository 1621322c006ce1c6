package conformance

import (
	"strings"
	"time"

	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("058_taskgroup_basic", case058) }

func case058(p *P) {
	const ms = time.Millisecond
	var child func(g *task.TaskGroup, name string, delay time.Duration, spawn string) func(*task.Coro) (string, error)
	child = func(g *task.TaskGroup, name string, delay time.Duration, spawn string) func(*task.Coro) (string, error) {
		return func(c *task.Coro) (string, error) {
			p.Printf("%s: start\n", name)
			if err := c.Sleep(delay); err != nil {
				return "", err
			}
			if spawn != "" {
				p.Printf("%s: spawning %s\n", name, spawn)
				if _, err := task.SpawnIn(g, child(g, spawn, 250*ms, ""), task.WithName(spawn)); err != nil {
					return "", err
				}
			}
			p.Printf("%s: end\n", name)
			return name, nil
		}
	}
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		var a, b *task.Task[string]
		var tg *task.TaskGroup
		err := task.Group(c, func(g *task.TaskGroup) error {
			tg = g
			var err error
			if a, err = task.SpawnIn(g, child(g, "a", 200*ms, ""), task.WithName("a")); err != nil {
				return err
			}
			if b, err = task.SpawnIn(g, child(g, "b", 30*ms, "c"), task.WithName("b")); err != nil {
				return err
			}
			p.Print("body: created a and b, name of b =", b.Name())
			if err := c.Yield(); err != nil {
				return err
			}
			p.Print("body: done, now waiting in __aexit__")
			return nil
		})
		if err != nil {
			return nil, err
		}
		ra, _ := a.Result()
		rb, _ := b.Result()
		p.Print("after group: results", ra, rb)
		if _, err := task.SpawnIn(tg, child(tg, "z", 0, ""), task.WithName("z")); err != nil {
			parts := strings.Split(Str(err), " is ")
			p.Print("create_task after exit:", ExcName(err), parts[len(parts)-1])
		}
		return nil, nil
	})
}

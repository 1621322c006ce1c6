//go:build unix

// Command echo is the echo benchmark that uvloop headlines: many clients,
// each sending a small message and waiting for its echo before sending the
// next, against an echo server; the figure is round trips per second.
//
//	echo server -impl goasyncio|gonet -addr 127.0.0.1:25000
//	echo client -addr 127.0.0.1:25000 -conns 100 -size 100 -duration 5s
//
// The goasyncio server is the streams echo server of uvloop's benchmark
// (echoserver.py --streams) line for line: read up to 1 MB, write it back,
// no drain. The gonet server is the plain Go equivalent, a goroutine per
// connection. server.py runs the same streams server on asyncio and uvloop;
// run.sh runs them all with the same client and prints a table.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/stream"
	"github.com/goasyncio/goasyncio/task"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: echo server|client [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "server":
		err = server(os.Args[2:])
	case "client":
		err = client(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "echo:", err)
		os.Exit(1)
	}
}

func server(args []string) error {
	fs := flag.NewFlagSet("server", flag.ExitOnError)
	impl := fs.String("impl", "goasyncio", "goasyncio or gonet")
	addr := fs.String("addr", "127.0.0.1:25000", "listen address")
	profile := fs.String("cpuprofile", "", "write a CPU profile to this file")
	fs.Parse(args)
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			return err
		}
		defer f.Close()
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	switch *impl {
	case "goasyncio":
		return serveGoasyncio(*addr)
	case "gonet":
		return serveGoNet(*addr)
	}
	return fmt.Errorf("unknown -impl %q", *impl)
}

// serveGoasyncio is uvloop's echoserver.py --streams on goasyncio; it
// stops on SIGINT (task.Run cancels the main task) or SIGTERM.
func serveGoasyncio(addr string) error {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	port, _ := strconv.Atoi(portStr)
	_, err = task.Run(func(c *task.Coro) (struct{}, error) {
		srv, err := stream.StartServer(c, func(c *task.Coro, r *stream.Reader, w *stream.Writer) error {
			defer w.Close()
			for {
				data, err := r.Read(c, 1000000)
				if err == io.EOF {
					return nil
				}
				if err != nil {
					return nil // a client went away: not the server's error
				}
				w.Write(data)
			}
		}, host, port, stream.WithBacklog(4096))
		if err != nil {
			return struct{}{}, err
		}
		l := c.Loop()
		main := c.Task()
		l.AddSignalHandler(syscall.SIGTERM, func() { main.Cancel() })
		fmt.Println("ready")
		if err := srv.ServeForever(c); !future.IsCancelled(err) {
			return struct{}{}, err
		}
		return struct{}{}, nil
	})
	if errors.Is(err, task.ErrInterrupted) {
		return nil
	}
	return err
}

// serveGoNet is the plain Go echo server: a goroutine per connection.
func serveGoNet(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	go func() {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
		<-sig
		ln.Close()
	}()
	fmt.Println("ready")
	for {
		conn, err := ln.Accept()
		if err != nil {
			return nil
		}
		go func() {
			defer conn.Close()
			buf := make([]byte, 64<<10)
			for {
				n, err := conn.Read(buf)
				if err != nil {
					return
				}
				if _, err := conn.Write(buf[:n]); err != nil {
					return
				}
			}
		}()
	}
}

// client runs conns connections, each sending a size-byte message and
// reading its echo in a loop, and prints the round trips per second over
// duration (after a warm-up of a fifth of it, at most a second).
func client(args []string) error {
	fs := flag.NewFlagSet("client", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:25000", "server address")
	conns := fs.Int("conns", 100, "concurrent connections")
	size := fs.Int("size", 100, "message size in bytes")
	duration := fs.Duration("duration", 5*time.Second, "measured time")
	fs.Parse(args)

	var count atomic.Int64
	var stop atomic.Bool
	var wg sync.WaitGroup
	errs := make(chan error, *conns)
	for range *conns {
		conn, err := net.Dial("tcp", *addr)
		if err != nil {
			return err
		}
		defer conn.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			msg := make([]byte, *size)
			buf := make([]byte, *size)
			for !stop.Load() {
				if _, err := conn.Write(msg); err != nil {
					errs <- err
					return
				}
				if _, err := io.ReadFull(conn, buf); err != nil {
					errs <- err
					return
				}
				count.Add(1)
			}
		}()
	}
	time.Sleep(min(*duration/5, time.Second)) // warm-up
	start, n0 := time.Now(), count.Load()
	time.Sleep(*duration)
	n1, elapsed := count.Load(), time.Since(start)
	stop.Store(true)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
	}
	// total counts the warm-up too: run.sh divides the server's CPU time
	// over the whole run by it.
	fmt.Printf("rps=%.0f total=%d conns=%d size=%d\n", float64(n1-n0)/elapsed.Seconds(), count.Load(), *conns, *size)
	return nil
}

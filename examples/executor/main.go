// Command executor is the seed's thread-pool pattern in Go: a pool of
// three workers fetches several pages from a local web server, and
// done-callbacks parse each body as soon as its fetch completes
// (ThreadPoolExecutor(3).submit(fetch, url).add_done_callback(parse)).
// Then the same fetches run from the event loop — RunInExecutor and
// gather, the results in argument order — and a slow fetch is cancelled
// from the loop: its context aborts the HTTP request, which Python's
// threads could not do.
//
//	go run ./examples/executor
//
// The server is net/http/httptest's, on the loopback interface only.
package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"

	"github.com/goasyncio/goasyncio/executor"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/gather"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/task"
)

// pages is what the local server serves, by path.
var pages = []struct{ path, title, text string }{
	{"/loop", "The event loop", "one goroutine runs every callback in order"},
	{"/futures", "Futures", "a result that will exist later"},
	{"/tasks", "Tasks", "code that can pause at an await and resume where it stopped"},
	{"/executor", "Executors", "work that must leave the loop runs on a pool"},
}

func main() {
	if err := run(os.Stdout, loop.New()); err != nil {
		fmt.Fprintln(os.Stderr, "executor:", err)
		os.Exit(1)
	}
}

// run serves the pages, fetches them both ways, and closes l.
func run(w io.Writer, l *loop.Loop) error {
	srv := newServer()
	defer srv.Close()
	client := srv.Client()
	defer client.CloseIdleConnections()
	var urls []string
	for _, p := range pages {
		urls = append(urls, srv.URL+p.path)
	}

	fmt.Fprintln(w, "== a pool of 3 workers; done-callbacks parse the bodies")
	if err := withPool(w, client, urls); err != nil {
		return err
	}
	fmt.Fprintln(w, "== the same fetches from the event loop: RunInExecutor + gather")
	_, err := task.RunOn(l, func(c *task.Coro) (struct{}, error) {
		return struct{}{}, fromLoop(c, w, client, srv, urls)
	})
	return err
}

// withPool is the seed's pattern: submit, and parse in a done-callback,
// which runs on the worker that completed the fetch.
func withPool(w io.Writer, client *http.Client, urls []string) error {
	pool := executor.New(executor.WithMaxWorkers(3))
	summaries := make([]string, len(urls)) // one slot per callback: no lock
	for i, u := range urls {
		f, err := executor.Submit(pool, fetch(client, u))
		if err != nil {
			return err
		}
		f.AddDoneCallback(func(f *executor.Future[string]) {
			body, err := f.Result()
			summaries[i] = summarize(u, body, err)
		})
	}
	pool.Shutdown() // waits for the fetches and their callbacks
	for _, s := range summaries {
		fmt.Fprintln(w, s)
	}
	return nil
}

// fromLoop runs the fetches on the loop's default pool, gathers them, then
// starts a fetch that never ends by itself and cancels it.
func fromLoop(c *task.Coro, w io.Writer, client *http.Client, srv *server, urls []string) error {
	l := c.Loop()
	var fetches []future.Typed[string]
	for _, u := range urls {
		f, err := executor.RunInExecutor(l, nil, fetch(client, u))
		if err != nil {
			return err
		}
		fetches = append(fetches, f)
	}
	bodies, err := task.Await(c, gather.All(l, fetches...))
	if err != nil {
		return err
	}
	for i, body := range bodies {
		fmt.Fprintln(w, summarize(urls[i], body, nil))
	}

	fmt.Fprintln(w, "== cancelling a slow fetch from the loop")
	slow := task.Spawn(l, func(c *task.Coro) (string, error) {
		return executor.ToThread(c, fetch(client, srv.URL+"/slow"))
	})
	if _, err := executor.ToThread(c, wait(srv.slowStarted)); err != nil {
		return err
	}
	slow.Cancel()
	_, err = task.Await(c, slow)
	fmt.Fprintln(w, "slow fetch:", err)
	if _, err := executor.ToThread(c, wait(srv.slowAborted)); err != nil {
		return err
	}
	fmt.Fprintln(w, "server: the client aborted the /slow request")
	return nil
}

// fetch returns work that GETs url with the work's context, so that
// cancelling the work aborts the request.
func fetch(client *http.Client, url string) func(ctx context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return "", err
		}
		resp, err := client.Do(req)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return string(b), err
	}
}

// wait returns work that blocks until ch is closed.
func wait(ch <-chan struct{}) func(context.Context) (struct{}, error) {
	return func(ctx context.Context) (struct{}, error) {
		select {
		case <-ch:
			return struct{}{}, nil
		case <-ctx.Done():
			return struct{}{}, ctx.Err()
		}
	}
}

// summarize is the parser: the page's title and the number of words after
// it.
func summarize(url string, body string, err error) string {
	path := url[strings.LastIndex(url, "/"):]
	if err != nil {
		return fmt.Sprintf("%-10s error: %v", path, err)
	}
	_, rest, _ := strings.Cut(body, "<title>")
	title, text, _ := strings.Cut(rest, "</title>")
	return fmt.Sprintf("%-10s %q, %d words", path, title, len(strings.Fields(text)))
}

// server is the local web server: the pages, and /slow, which answers
// only when the client gives up.
type server struct {
	*httptest.Server
	slowStarted, slowAborted chan struct{}
}

func newServer() *server {
	s := &server{slowStarted: make(chan struct{}), slowAborted: make(chan struct{})}
	mux := http.NewServeMux()
	for _, p := range pages {
		mux.HandleFunc(p.path, func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, "<title>%s</title>\n%s\n", p.title, p.text)
		})
	}
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		close(s.slowStarted)
		<-r.Context().Done()
		close(s.slowAborted)
	})
	s.Server = httptest.NewServer(mux)
	return s
}

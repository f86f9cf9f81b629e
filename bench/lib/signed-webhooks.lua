-- wrk script: replays pre-signed Zoom recording.completed webhooks, each once (every thread takes its
-- own slice of the file), so every 200 must be one new message on the download queue.
-- File lines: timestamp<TAB>signature<TAB>body
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local file = args[1]
  local nthreads = tonumber(args[2])
  reqs = {}
  local n = 0
  for line in io.lines(file) do
    if n % nthreads == id then
      local ts, sig, body = line:match("^([^\t]+)\t([^\t]+)\t(.*)$")
      table.insert(reqs, wrk.format("POST", "/zoom/webhook",
        { ["Content-Type"] = "application/json", ["x-zm-request-timestamp"] = ts, ["x-zm-signature"] = sig }, body))
    end
    n = n + 1
  end
  i = 0
end

function request()
  i = i + 1
  if i > #reqs then
    -- out of fresh webhooks: repeat the last one (answered 200 "already queued", no new message)
    i = #reqs
  end
  return reqs[i]
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d non2xx=%d errors=%d p50_ms=%.2f p99_ms=%.2f rps=%.1f\n",
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests / (summary.duration / 1e6)))
end

-- wrk script for the attendance benches (bench/wrkload.py runs it): every request inserts a row of its own.
--
-- BENCH_MODE   web | bare1 | barebatch | json | adms | get (BENCH_PATH with BENCH_COOKIE, for the request floor)
-- BENCH_DATA   file, one record a line, tab-separated:
--                web:       path, cookie, csrf token (one logged-in clerk a line; each thread takes its own lines)
--                others:    pin, staff id (the bench center's staff)
-- BENCH_DEV    file of "serial<TAB>token" lines: thread i sends as device i (json, adms); bare uses it as a prefix
-- BENCH_TENANT the tenant id (bare endpoints)
-- BENCH_T0     first punch time (json, adms, barebatch), "seconds since the epoch" of the local wall clock
-- BENCH_LIMIT  last usable punch time (same scale); times past it wrap around (counted as "wrapped")
-- BENCH_THREADS number of wrk threads (-t), BENCH_BATCH punches per batch

local mode = os.getenv("BENCH_MODE")
local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
local batch = tonumber(os.getenv("BENCH_BATCH") or "20")
local counter = 0
local threads = {}

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local function lines(path)
  local out = {}
  local f = assert(io.open(path, "r"))
  for line in f:lines() do
    if #line > 0 then
      local rec = {}
      for field in string.gmatch(line, "[^\t]+") do table.insert(rec, field) end
      table.insert(out, rec)
    end
  end
  f:close()
  return out
end

local mine, pins, device = {}, {}, nil
local i, n, t = 0, 0, 0
local t0, limit
dups, wrapped, bad = 0, 0, 0

function init(args)
  local tid = tonumber(tid)
  if mode == "get" then
    get_request = wrk.format("GET", os.getenv("BENCH_PATH"), {["Cookie"] = os.getenv("BENCH_COOKIE") or ""})
    return
  end
  if mode == "web" then
    for k, rec in ipairs(lines(os.getenv("BENCH_DATA"))) do
      if (k - 1) % nthreads == tid then table.insert(mine, rec) end
    end
  else
    pins = lines(os.getenv("BENCH_DATA"))
    local devs = lines(os.getenv("BENCH_DEV"))
    device = devs[tid + 1]
    t0 = tonumber(os.getenv("BENCH_T0") or "0")
    limit = tonumber(os.getenv("BENCH_LIMIT") or "0")
    t = t0
  end
  tenant = os.getenv("BENCH_TENANT")
  i = tid  -- spread the threads over the staff list
end

local function next_time()
  t = t + 1
  if t > limit then
    t = t0 + 1
    wrapped = wrapped + 1
  end
  return t
end

local function pick()
  i = i + 1
  return pins[(i % #pins) + 1]
end

local json_headers = {["Content-Type"] = "application/json"}

function request()
  n = n + 1
  if mode == "get" then
    return get_request
  elseif mode == "web" then
    if n > #mine then
      n = 1
      wrapped = wrapped + 1
    end
    local rec = mine[n]
    return wrk.format("POST", rec[1], {["Cookie"] = rec[2], ["x-csrftoken"] = rec[3],
                                       ["Content-Type"] = "application/json"}, "{}")
  elseif mode == "bare1" then
    local p = pick()
    return wrk.format("POST", "/api/devices/punches/bench-bare", json_headers, string.format(
      '{"tenant":"%s","device":"%s-%d","pin":"%s","staff":"%s"}', tenant, device[1], n, p[1], p[2]))
  elseif mode == "barebatch" then
    local parts = {}
    for _ = 1, batch do
      local p = pick()
      table.insert(parts, string.format('{"pin":"%s","staff":"%s","time":"%s"}', p[1], p[2],
                                        os.date("!%Y-%m-%dT%H:%M:%S", next_time())))
    end
    return wrk.format("POST", "/api/devices/punches/bench-bare", json_headers, string.format(
      '{"tenant":"%s","device":"%s","punches":[%s]}', tenant, device[1], table.concat(parts, ",")))
  elseif mode == "json" then
    local parts = {}
    for _ = 1, batch do
      local p = pick()
      table.insert(parts, string.format('{"pin":"%s","time":"%s","verify":15}', p[1],
                                        os.date("!%Y-%m-%dT%H:%M:%S", next_time())))
    end
    return wrk.format("POST", "/api/devices/punches", {["Content-Type"] = "application/json",
      ["X-Device-Serial"] = device[1], ["Authorization"] = "Bearer " .. device[2]},
      '{"punches":[' .. table.concat(parts, ",") .. ']}')
  else -- adms
    local parts = {}
    for _ = 1, batch do
      local p = pick()
      table.insert(parts, string.format("%s\t%s\t0\t15\t0\t0\t0\n", p[1],
                                        os.date("!%Y-%m-%d %H:%M:%S", next_time())))
    end
    return wrk.format("POST", "/iclock/cdata?SN=" .. device[1] .. "&table=ATTLOG&Stamp=1",
                      {["Content-Type"] = "text/plain"}, table.concat(parts))
  end
end

function response(status, headers, body)
  if status >= 400 then
    bad = bad + 1
  elseif mode == "web" and string.find(body, '"duplicate":true', 1, true) then
    dups = dups + 1
  elseif (mode == "bare1" or mode == "barebatch") and not string.find(body, '"inserted":', 1, true) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local d, w, b = 0, 0, 0
  for _, thread in ipairs(threads) do
    d = d + (thread:get("dups") or 0)
    w = w + (thread:get("wrapped") or 0)
    b = b + (thread:get("bad") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,"status_errors":%d,' ..
    '"socket_errors":%d,"timeouts":%d,"duplicates":%d,"wrapped":%d,"bad":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max, e.status,
    e.connect + e.read + e.write, e.timeout, d, w, b))
end

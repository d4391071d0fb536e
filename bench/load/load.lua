-- wrk script for bench/load/load.sh: a mixed fleet of clients on keep-alive connections against
-- POST /api/v1/treatments and POST /api/v1/treatments/batch. Run it through load.sh; by hand:
--   LOAD_TOKENS=OUT/tokens.txt LOAD_OUT=OUT LOAD_RUN_ID=r1 wrk -t2 -c32 -d30s --timeout 30s -s load.lua BASE_URL
--
-- Every request picks a client from the tokens file uniformly (lines "device SUBJECT TOKEN" and "gateway SUBJECT
-- TOKEN"): a device submits for its own machine (its subject), a gateway for any of $MACHINES machines. Patient ids
-- are LP-<run>-<thread>-<counter>, so no record repeats, within a run or across runs, except the deliberate replays.
-- Shares (environment, fractions 0..1), drawn per request:
--   UNAUTH_SHARE       no token (half) or a token with a broken signature (half): 401
--   FOREIGN_SHARE      a device's record (or batch item) names another device's machine: 403 (item 403 in a batch)
--   BATCH_SHARE        the request is a batch of $BATCH records instead of a single record
--   INVALID_SHARE      the record (or batch item) breaks the schema: 400 (item 400 in a batch)
--   IDEMPOTENCY_SHARE  the single record (or batch item) carries an idempotency key;
--   REPLAY_SHARE       ... and this part of those re-sends an earlier key of the same client with the same body
--                      (the oldest one not yet replayed, at least 2 s old, so the first send has been answered):
--                      200 with the same id
-- Every id acknowledged with 201 (single) or "status":201 (batch item) goes to LOAD_OUT/ids-<thread>.txt, every
-- replay's id (200) to LOAD_OUT/replayed-<thread>.txt; LoadCheck.java reads them all back.
-- done() prints the report: requests/s, records/s, latency percentiles, every status and batch item status.

local MACHINE_FORMAT = "LM%04d" -- the same as LoadTokens.java: a device's subject is its machine id

local function share(name, default)
  local v = tonumber(os.getenv(name) or "")
  if v == nil then v = default end
  assert(v >= 0 and v <= 1, name .. " must be between 0 and 1")
  return v
end

local function count(name, default, min, max)
  local v = tonumber(os.getenv(name) or "")
  if v == nil then v = default end
  assert(v == math.floor(v) and v >= min and v <= max, name .. " must be a whole number from " .. min .. " to " .. max)
  return v
end

local UNAUTH_SHARE = share("UNAUTH_SHARE", 0.01)
local FOREIGN_SHARE = share("FOREIGN_SHARE", UNAUTH_SHARE)
local BATCH_SHARE = share("BATCH_SHARE", 0.05)
local INVALID_SHARE = share("INVALID_SHARE", 0.02)
local IDEMPOTENCY_SHARE = share("IDEMPOTENCY_SHARE", 0.2)
local REPLAY_SHARE = share("REPLAY_SHARE", 0.1)
local BATCH = count("BATCH", 50, 1, 1000)
local MACHINES = count("MACHINES", 1000, 1, 10000)
local REPLAY_MIN_AGE = 2 -- seconds; os.time() resolution
-- Earlier idempotent submissions kept per thread as replay candidates, oldest first. When full, new ones are not
-- added (rather than old ones dropped): at a few thousand requests/s a short list would only ever hold submissions
-- younger than REPLAY_MIN_AGE.
local CANDIDATES_MAX = 4096

-- Shared by the main Lua state (setup, done) only; each wrk thread has its own Lua state and sees the globals
-- that setup() passes with thread:set.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

-- Per-thread state, made in init() (which runs in the thread's own Lua state).
local devices, gateways, clients = {}, {}, {}
local prefix, run_id = "", ""
local base = ""
local seq = 0
local ids_file, replay_file
local candidates, first, last = {}, 1, 0

function init(args)
  math.randomseed(os.time() * 1000 + (tid or 0) * 7919)
  run_id = os.getenv("LOAD_RUN_ID") or tostring(os.time())
  assert(run_id:match("^[A-Za-z0-9]+$"), "LOAD_RUN_ID must be letters and digits")
  prefix = string.format("%s-%d", run_id, tid or 0)
  -- wrk.path is the URL's path ("/" for https://host:port): a context root in BASE_URL becomes a prefix.
  base = (wrk.path or "/"):gsub("/+$", "")

  local tokens = assert(os.getenv("LOAD_TOKENS"), "LOAD_TOKENS (the tokens file) is not set")
  local f = assert(io.open(tokens, "r"))
  for line in f:lines() do
    local role, sub, token = line:match("^(%S+) (%S+) (%S+)$")
    if role == "device" or role == "gateway" then
      local c = { role = role, sub = sub, auth = "Bearer " .. token,
                  -- the same token with the signature's last characters changed: well-formed, but must not verify
                  broken = "Bearer " .. token:sub(1, -7) .. (token:sub(-6) == "AAAAAA" and "BBBBBB" or "AAAAAA") }
      table.insert(clients, c)
      table.insert(role == "device" and devices or gateways, c)
    end
  end
  f:close()
  assert(#clients > 0, "no device or gateway tokens in " .. tokens)

  local out = assert(os.getenv("LOAD_OUT"), "LOAD_OUT (the work directory) is not set")
  -- Append, never truncate: load.sh empties OUT's id files before a run; by hand, a second wrk run into the same
  -- OUT adds to the first, and the checker then checks both runs' records.
  ids_file = assert(io.open(string.format("%s/ids-%d.txt", out, tid or 0), "a"))
  replay_file = assert(io.open(string.format("%s/replayed-%d.txt", out, tid or 0), "a"))

  -- Counters: globals, because done() reads them from each thread's Lua state with thread:get.
  statuses = {}     -- HTTP status -> responses
  items = {}        -- batch item status -> items
  sent = { single = 0, batch = 0, batch_items = 0, replays = 0, idempotent = 0, unauth = 0, foreign = 0,
           invalid = 0 }
  got = { single_201 = 0, replay_200 = 0, item_201 = 0, item_200 = 0, batches = 0, other = 0 }
end

local function chance(p)
  return p > 0 and math.random() < p
end

local ALARMS = { '[]', '["A12"]', '["A12","B03"]', '["B03","C07","D21"]' }

-- One record as JSON. invalid: break one rule (validation answers 400); extra: members put first (a batch item's
-- idempotency_key). Dates are in the past and end after start, values in range, identifiers synthetic.
local function record(machine, invalid, extra)
  seq = seq + 1
  local patient = string.format("LP-%s-%d", prefix, seq)
  local day, hour, minute = math.random(1, 28), math.random(0, 19), math.random(0, 59)
  local start = string.format("2025-03-%02dT%02d:%02d:00Z", day, hour, minute)
  local finish = string.format("2025-03-%02dT%02d:%02d:00Z", day, hour + math.random(1, 4), minute)
  local uf = string.format("%.1f", math.random(5, 45) / 10)
  local cond = string.format("%.1f", math.random(120, 160) / 10)
  if invalid then
    local kind = math.random(1, 4)
    if kind == 1 then uf = "-1"                           -- below the minimum
    elseif kind == 2 then cond = "99.0"                   -- above the maximum
    elseif kind == 3 then start, finish = finish, start   -- end before start
    else machine = "bad machine!" end                     -- outside the identifier pattern
  end
  return string.format('{%s"patient_id":"%s","treatment_start":"%s","treatment_end":"%s","uf_volume":%s,'
    .. '"conductivity":%s,"machine_id":"%s","alarms":%s}', extra or "", patient, start, finish, uf, cond, machine,
    ALARMS[math.random(#ALARMS)])
end

local function machine_for(c)
  if c.role == "device" then
    if #devices > 1 and chance(FOREIGN_SHARE) then
      sent.foreign = sent.foreign + 1
      local other = devices[math.random(#devices)]
      while other == c do other = devices[math.random(#devices)] end
      return other.sub
    end
    return c.sub
  end
  return string.format(MACHINE_FORMAT, math.random(0, MACHINES - 1))
end

local function headers_for(c)
  local h = { ["Content-Type"] = "application/json" }
  if chance(UNAUTH_SHARE) then
    sent.unauth = sent.unauth + 1
    if math.random() < 0.5 then h["Authorization"] = c.broken end -- else no Authorization header at all
  else
    h["Authorization"] = c.auth
  end
  return h
end

local function key()
  seq = seq + 1
  return string.format("lk-%s-%d", prefix, seq)
end

local function single(c)
  sent.single = sent.single + 1
  local idempotent = chance(IDEMPOTENCY_SHARE)
  if idempotent then
    sent.idempotent = sent.idempotent + 1
    if chance(REPLAY_SHARE) then
      local r = candidates[first]
      if r and os.time() - r.at >= REPLAY_MIN_AGE then
        candidates[first] = nil -- each candidate is replayed once
        first = first + 1
        sent.replays = sent.replays + 1
        return wrk.format("POST", base .. "/api/v1/treatments",
          { ["Content-Type"] = "application/json", ["Authorization"] = r.auth, ["Idempotency-Key"] = r.key }, r.body)
      end
      -- no candidate old enough yet: an ordinary idempotent submission instead
    end
  end
  local h = headers_for(c)
  local invalid = chance(INVALID_SHARE)
  if invalid then sent.invalid = sent.invalid + 1 end
  local machine = machine_for(c)
  local body = record(machine, invalid)
  if idempotent then
    h["Idempotency-Key"] = key()
    if h["Authorization"] == c.auth and not invalid and (c.role == "gateway" or machine == c.sub)
        and last - first + 1 < CANDIDATES_MAX then
      -- Only submissions expected to be stored are worth replaying: same client, same key, same body.
      last = last + 1
      candidates[last] = { at = os.time(), auth = c.auth, key = h["Idempotency-Key"], body = body }
    end
  end
  return wrk.format("POST", base .. "/api/v1/treatments", h, body)
end

local function batch(c)
  sent.batch = sent.batch + 1
  sent.batch_items = sent.batch_items + BATCH
  local parts = {}
  for i = 1, BATCH do
    local invalid = chance(INVALID_SHARE)
    if invalid then sent.invalid = sent.invalid + 1 end
    local extra = nil
    if chance(IDEMPOTENCY_SHARE) then
      sent.idempotent = sent.idempotent + 1
      extra = '"idempotency_key":"' .. key() .. '",'
    end
    parts[i] = record(machine_for(c), invalid, extra)
  end
  return wrk.format("POST", base .. "/api/v1/treatments/batch", headers_for(c), "[" .. table.concat(parts, ",") .. "]")
end

function request()
  local c = clients[math.random(#clients)]
  if chance(BATCH_SHARE) then
    return batch(c)
  end
  return single(c)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 200 and body:find('^%s*{%s*"results"') then
    got.batches = got.batches + 1
    local acked = {}
    -- Items are {"status":N,"id":"..."} or {"status":N,"problem":{...}}; the problem object has its own "status"
    -- followed by "detail", which the member check below skips.
    for st, member in body:gmatch('"status"%s*:%s*(%d+)%s*,%s*"(%a+)"') do
      if member == "id" or member == "problem" then
        st = tonumber(st)
        items[st] = (items[st] or 0) + 1
      end
    end
    for st, id in body:gmatch('"status"%s*:%s*(%d+)%s*,%s*"id"%s*:%s*"([^"]+)"') do
      if st == "201" then
        acked[#acked + 1] = id
      elseif st == "200" then
        got.item_200 = got.item_200 + 1
      end
    end
    if #acked > 0 then
      got.item_201 = got.item_201 + #acked
      -- One write per response and flushed: wrk never closes a thread's Lua state, so buffered ids would be lost.
      ids_file:write(table.concat(acked, "\n"), "\n")
      ids_file:flush()
    end
    return
  end
  if status == 201 or status == 200 then
    local id = body:match('"id"%s*:%s*"([^"]+)"')
    if id and status == 201 then
      got.single_201 = got.single_201 + 1
      ids_file:write(id, "\n")
      ids_file:flush()
    elseif id then
      got.replay_200 = got.replay_200 + 1
      replay_file:write(id, "\n")
      replay_file:flush()
    else
      got.other = got.other + 1 -- a 2xx without an id: the checker cannot read it back; reported
    end
  end
end

local function add(into, from)
  for k, v in pairs(from or {}) do into[k] = (into[k] or 0) + v end
end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  return keys
end

local function list(t, filter)
  local parts = {}
  for _, k in ipairs(sorted_keys(t)) do
    if not filter or filter(k) then parts[#parts + 1] = string.format("%s: %d", tostring(k), t[k]) end
  end
  return #parts > 0 and table.concat(parts, ", ") or "none"
end

function done(summary, latency, requests)
  local st, it, s, g = {}, {}, {}, {}
  for _, t in ipairs(threads) do
    add(st, t:get("statuses"))
    add(it, t:get("items"))
    add(s, t:get("sent"))
    add(g, t:get("got"))
  end
  local secs = summary.duration / 1e6
  local function rate(n) return secs > 0 and n / secs or 0 end
  local singles = (s.single or 0)
  local records = singles + (s.batch_items or 0)
  local stored = (g.single_201 or 0) + (g.item_201 or 0)
  local e = summary.errors
  local w = io.write
  w("---- treatment load ----\n")
  w(string.format("duration          %.1f s\n", secs))
  w(string.format("requests/s        %.1f  (%d answered; sent %d single + %d batches)\n", rate(summary.requests),
    summary.requests, singles, s.batch or 0))
  w(string.format("records/s         %.1f sent (%d single + %d batch items), %.1f stored (201: %d single + %d items)\n",
    rate(records), singles, s.batch_items or 0, rate(stored), g.single_201 or 0, g.item_201 or 0))
  w(string.format("latency ms        p50 %.1f  p90 %.1f  p99 %.1f  max %.1f\n", latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  w("statuses          " .. list(st) .. "\n")
  w("non-2xx           " .. list(st, function(k) return k < 200 or k > 299 end) .. "\n")
  w("batch items       " .. list(it) .. "\n")
  w(string.format("sent on purpose   unauthenticated %d, foreign machine %d, invalid %d, idempotency keys %d, replays %d\n",
    s.unauth or 0, s.foreign or 0, s.invalid or 0, s.idempotent or 0, s.replays or 0))
  w(string.format("replays answered  %d single 200, %d batch item 200; 2xx without id %d\n", g.replay_200 or 0,
    g.item_200 or 0, g.other or 0))
  w(string.format("socket errors     connect %d, read %d, write %d, timeout %d\n", e.connect, e.read, e.write,
    e.timeout))
end

-- Workload "put": PutItem of a ~1.1 KB item under a uniformly random key (overwrites once the
-- key space is full): steady-state durable writes, which the shared harness only measures as its
-- cold-start load phase. Uses the shared harness's helpers (BENCH_LUA_DIR = ../shared/bench/lua).
package.path = (os.getenv("BENCH_LUA_DIR") or "lua") .. "/?.lua;" .. package.path
local ddb = require "ddb"
ddb.run{
  next = function() return ddb.put_user(ddb.rand_key()) end,
}

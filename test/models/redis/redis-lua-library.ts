/**
 * The Lua originals of the simulated server's functions (docs/redis.md, "Functions"), loaded into a
 * real Redis with `FUNCTION LOAD` so that FCALL can be compared reply by reply.
 */
export const LUA_LIBRARY = `#!lua name=simsys
local function holds(keys, args)
  return redis.call('GET', keys[1]) == args[1]
end
redis.register_function('lock_release', function(keys, args)
  if holds(keys, args) then return redis.call('DEL', keys[1]) end
  return 0
end)
redis.register_function('lock_extend', function(keys, args)
  if holds(keys, args) then return redis.call('PEXPIRE', keys[1], args[2]) end
  return 0
end)
redis.register_function('incr_if_exists', function(keys, args)
  if redis.call('EXISTS', keys[1]) == 1 then
    return redis.call('HINCRBY', keys[1], args[1], args[2])
  end
  return false
end)
redis.register_function('fill_if_absent', function(keys, args)
  if redis.call('EXISTS', keys[1]) == 1 then return 0 end
  for i = 2, #args, 2 do
    redis.call('HINCRBY', keys[1], args[i], args[i + 1])
  end
  redis.call('PEXPIRE', keys[1], args[1])
  return 1
end)
`

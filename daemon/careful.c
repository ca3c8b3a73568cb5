/*
 * careful.c: the Lua wrapper that reads without reading whole what is too
 * large (see careful.h).
 */

#include <string.h>

#include "careful.h"

/* ARGV[1] the bound, ARGV[2..] the read command.  Tables (arrays) are
 * walked; status and error replies are kept as they are. */
const char careful_script[] =
    "local max = tonumber(ARGV[1])\n"
    "local function walk(v)\n"
    "  if type(v) == 'string' then\n"
    "    if #v > max then\n"
    "      return {#v, redis.sha1hex(v), string.sub(v, 1, 4096)}\n"
    "    end\n"
    "    return v\n"
    "  end\n"
    "  if type(v) == 'table' and not v.ok and not v.err then\n"
    "    for i = 1, #v do v[i] = walk(v[i]) end\n"
    "  end\n"
    "  return v\n"
    "end\n"
    "local cmd = {}\n"
    "for i = 2, #ARGV do cmd[#cmd + 1] = ARGV[i] end\n"
    "return walk(redis.call(unpack(cmd)))\n";

/* [length, sha1, head] where a string was expected. */
int
careful_is_big(const redisReply *r, struct careful_big *big)
{
	if (r->type != REDIS_REPLY_ARRAY || r->elements != 3 ||
	    r->element[0]->type != REDIS_REPLY_INTEGER ||
	    r->element[1]->type != REDIS_REPLY_STRING ||
	    r->element[1]->len != 40 ||
	    r->element[2]->type != REDIS_REPLY_STRING)
		return 0;
	big->length = r->element[0]->integer;
	big->sha1 = r->element[1]->str;
	big->head = r->element[2]->str;
	big->headlen = r->element[2]->len;
	return 1;
}

#!/usr/bin/env python3
"""Fills a sessionvault database (created by a first `serve`) with N synthetic sessions
for the list benchmark: one user per 1000 sessions (so that a user's page looks the same
at any scale), 200 servers, starts spread over a year. Prints the range of user ids."""
import random
import sqlite3
import sys

path, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(7)
db = sqlite3.connect(path)
db.execute("PRAGMA synchronous = OFF")
db.execute("PRAGMA journal_mode = WAL")
now = 1_760_000_000_000_000
users = [(f"user{i:04d}", "user", 0, 0) for i in range(max(10, count // 1000))]
db.executemany("INSERT OR IGNORE INTO users (name, role, created_at, modified_at) VALUES (?, ?, ?, ?)", users)
servers = [(f"srv-{i:03d}.example.net", "ssh", 0, 0) for i in range(200)]
db.executemany("INSERT OR IGNORE INTO servers (name, protocol, created_at, modified_at) VALUES (?, ?, ?, ?)", servers)
user_ids = [r[0] for r in db.execute("SELECT id FROM users WHERE name LIKE 'user%'")]
server_ids = [r[0] for r in db.execute("SELECT id FROM servers")]
protocols = ["ssh"] * 6 + ["sftp", "rdp", "vnc", "telnet"]
year = 365 * 86400 * 1_000_000

def rows():
    # Sessions arrive in the order they start, so rows are stored in time order.
    starts = sorted(now - rng.randrange(year) for _ in range(count))
    for started in starts:
        ended = started + rng.randrange(10_000_000, 3_600_000_000) if rng.random() < 0.97 else None
        size = rng.randrange(1000, 50_000_000)
        yield (rng.choice(user_ids), rng.choice(server_ids), rng.choice(protocols), started, ended,
               "asciicast", size, "%064x" % rng.getrandbits(256), started, started)

batch = []
for row in rows():
    batch.append(row)
    if len(batch) == 50_000:
        db.executemany(
            "INSERT INTO sessions (user_id, server_id, protocol, started, ended, recording_format, "
            "recording_size, recording_sha256, created_at, modified_at) VALUES (?,?,?,?,?,?,?,?,?,?)", batch)
        batch = []
if batch:
    db.executemany(
        "INSERT INTO sessions (user_id, server_id, protocol, started, ended, recording_format, "
        "recording_size, recording_sha256, created_at, modified_at) VALUES (?,?,?,?,?,?,?,?,?,?)", batch)
db.commit()
# No ANALYZE: sessionvault never runs it, and with statistics present SQLite re-plans
# statements whose bound values it has statistics for, on every execution.
print(min(user_ids), max(user_ids))

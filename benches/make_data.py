#!/usr/bin/env python3
"""Writes deterministic benchmark files: realistic terminal/log text, compressible
the way real session data is (neither random noise nor one repeated line)."""
import random
import sys

def text_file(path, size, seed=42):
    rng = random.Random(seed)
    users = [f"user{i}" for i in range(50)]
    hosts = [f"db-{i}.prod.example.net" for i in range(20)]
    cmds = ["ls -la /var/log", "sudo systemctl restart nginx", "tail -f /var/log/syslog",
            "psql -U app -c 'select count(*) from orders'", "vim /etc/hosts", "df -h", "top -b -n1"]
    words = ("error warning info debug request response timeout connection closed opened "
             "accepted refused session user query table index commit rollback").split()
    written = 0
    block = []
    with open(path, "wb") as out:
        while written < size:
            kind = rng.random()
            if kind < 0.5:
                line = (f"2025-03-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:"
                        f"{rng.randint(0, 59):02d}.{rng.randint(0, 999):03d}Z {rng.choice(hosts)} "
                        f"sshd[{rng.randint(100, 65000)}]: Accepted publickey for {rng.choice(users)} "
                        f"from 10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)} "
                        f"port {rng.randint(1024, 65535)} ssh2\n")
            elif kind < 0.8:
                line = " ".join(rng.choice(words) for _ in range(rng.randint(4, 14))) + \
                       f" id={rng.getrandbits(48):x} t={rng.random():.6f}\n"
            elif kind < 0.9:
                line = f"{rng.choice(users)}@{rng.choice(hosts)}:~$ {rng.choice(cmds)}\n"
            else:
                line = "".join(f"{rng.getrandbits(8):02x}" for _ in range(32)) + "\n"
            block.append(line)
            if len(block) >= 4096:
                data = "".join(block).encode()
                out.write(data[: size - written])
                written += min(len(data), size - written)
                block = []

if __name__ == "__main__":
    text_file(sys.argv[1], int(sys.argv[2]))

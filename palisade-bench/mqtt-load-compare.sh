#!/usr/bin/env bash
# Throughput and latency of the gateway beside Mosquitto's own mTLS+ACL listener, both measured with the
# independent load generator ../shared/tools/mqtt-load (Netty + BoringSSL; built into a temporary copy).
#
#   palisade-bench/mqtt-load-compare.sh            # every scenario, RUNS alternating runs each
#   SCENARIOS="qos0-256 qos1-256" RUNS=1 palisade-bench/mqtt-load-compare.sh
#
# Paths compared (same 100 EST-enrolled device certificates, same devices/%u/# ACL, same generator):
#   palisade : generator --mTLS--> palisade up (detection on) --plain--> Mosquitto A <--plain-- subscriber
#   mosquitto: generator --mTLS--> Mosquitto B (require_certificate, use_identity_as_username, ACL) <-- subscriber
# Knobs: DUR (20) WARM (5) RUNS (2) CLIENTS (100) WINDOW (8) SCENARIOS, RATE (0 = max; > 0 msgs/s per client),
#        UPSTREAM_OPTIONS (e.g. "?lanes=qos0": QoS 0 publishes share one broker connection per event loop),
#        UPSTREAM_TLS (0; 1: the gateway reaches Mosquitto A over TLS, mqtts://localhost),
#        UP_OPTIONS (more options for `palisade up`, e.g. "--no-detection" to see what detection costs)
# Results (JSON lines) go to $RESULTS (default /tmp/mqtt-load-compare.jsonl) and a table to stdout.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DUR=${DUR:-20}; WARM=${WARM:-5}; RUNS=${RUNS:-2}; CLIENTS=${CLIENTS:-100}; WINDOW=${WINDOW:-8}; RATE=${RATE:-0}
SCENARIOS=${SCENARIOS:-"qos0-256 qos1-256 qos0-4096 qos1-4096"}
RESULTS=${RESULTS:-/tmp/mqtt-load-compare.jsonl}
UPSTREAM_OPTIONS=${UPSTREAM_OPTIONS:-}; UPSTREAM_TLS=${UPSTREAM_TLS:-0}; read -r -a up_options <<< "${UP_OPTIONS:-}"
TOOL_SRC=${MQTT_LOAD_SRC:-$here/../shared/tools/mqtt-load}
work=$(mktemp -d -t palisade-mqtt-load.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

jar=${MQTT_LOAD_JAR:-}
if [[ -z "$jar" ]]; then
  cp -r "$TOOL_SRC" "$work/mqtt-load" && (cd "$work/mqtt-load" && mvn -q -B package) >&2
  jar=$work/mqtt-load/target/mqtt-load.jar
fi
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 not up" >&2; return 1; }

up_a=$(port); https=$(port); mqtt=$(port); tls_b=$(port); sub_b=$(port); sub_a=$(port)
# The brokers' server certificate (Mosquitto B's TLS listener, and Mosquitto A's with UPSTREAM_TLS=1)
openssl ecparam -name prime256v1 -genkey -noout -out "$work/server.key"
openssl req -x509 -new -key "$work/server.key" -subj /CN=localhost -addext "subjectAltName=DNS:localhost" -days 2 \
  -out "$work/server.pem" 2>/dev/null
# `user`: as root, mosquitto would drop to user "mosquitto" and could not read the 0700 temporary directory
printf 'user %s\nper_listener_settings false\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\n' \
  "$(id -un)" > "$work/a.conf"
if [[ "$UPSTREAM_TLS" == 1 ]]; then
  # the gateway's link over TLS; the subscriber stays on a plain listener
  printf 'listener %s 127.0.0.1\ncertfile %s\nkeyfile %s\nlistener %s 127.0.0.1\n' "$up_a" "$work/server.pem" \
    "$work/server.key" "$sub_a" >> "$work/a.conf"
  upstream="mqtts://localhost:$up_a$UPSTREAM_OPTIONS"; upstream_ca=(--upstream-ca "$work/server.pem")
else
  printf 'listener %s 127.0.0.1\n' "$up_a" >> "$work/a.conf"; sub_a=$up_a
  upstream="mqtt://127.0.0.1:$up_a$UPSTREAM_OPTIONS"; upstream_ca=()
fi
mosquitto -c "$work/a.conf" > "$work/a.log" 2>&1 & pids+=($!); mosquitto_a=$!

data=$work/data
PALISADE_JAVA_OPTS=${PALISADE_JAVA_OPTS:-} "$here/palisade" up --data "$data" --bind 127.0.0.1 --https-port "$https" \
  --mqtt-port "$mqtt" --upstream "$upstream" "${upstream_ca[@]}" --limit messages-per-second=1000000 \
  --limit message-burst=1000000 --limit bytes-per-second=1000000000 --limit max-inflight=64 \
  --limit connects-per-second-per-address=100000 "${up_options[@]}" \
  > "$work/palisade.log" 2>&1 & pids+=($!); palisade_pid=$!
wait_port "$mqtt"; sleep 1
gateway_pid=$(pgrep -f -- "--mqtt-port $mqtt" | head -1)

# 100 devices registered over the API and enrolled over EST with openssl and curl.
ca=$data/ca/root.crt; token=$(cat "$data/admin.token")
mkdir -p "$work/certs"
for i in $(seq 0 $((CLIENTS - 1))); do
  id=dev-$i; d=$work/certs/$id; mkdir -p "$d"
  t=$(curl -sf --cacert "$ca" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d "{\"id\":\"$id\"}" "https://127.0.0.1:$https/api/v1/devices" | python3 -c 'import sys,json; print(json.load(sys.stdin)["enrollment_token"])')
  openssl ecparam -name prime256v1 -genkey -noout -out "$d/key.pem"
  openssl req -new -key "$d/key.pem" -subj "/CN=$id" -outform DER | openssl base64 > "$d/csr.b64"
  curl -sf --cacert "$ca" -u "$id:$t" -H 'Content-Type: application/pkcs10' --data-binary "@$d/csr.b64" \
      "https://127.0.0.1:$https/.well-known/est/simpleenroll" | openssl base64 -d \
      | openssl pkcs7 -inform DER -print_certs -out "$d/chain.pem"
  # the leaf first (what the generator presents), then the issuing CA
  cp "$d/chain.pem" "$d/cert.pem"
done
cat "$data/ca/issuing.crt" "$data/ca/root.crt" > "$work/ca-chain.pem"

# Mosquitto B: the peer, verifying the same device certificates against Palisade's CA.
printf 'topic read devices/#\npattern readwrite devices/%%u/#\n' > "$work/acl"   # anonymous subscriber: read only
cat > "$work/b.conf" <<CONF
user $(id -un)
per_listener_settings false
allow_anonymous true
persistence false
max_queued_messages 100000
acl_file $work/acl
listener $tls_b 127.0.0.1
cafile $work/ca-chain.pem
certfile $work/server.pem
keyfile $work/server.key
require_certificate true
use_identity_as_username true
listener $sub_b 127.0.0.1
CONF
mosquitto -c "$work/b.conf" > "$work/b.log" 2>&1 & pids+=($!); mosquitto_b=$!
wait_port "$tls_b"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
run() { # run LABEL PORT BROKER_PID SUB_PORT QOS PAYLOAD
  local before; before=$(cpu_ticks "$mosquitto_a")
  java -jar "$jar" --json --host 127.0.0.1 --port "$2" --tls --certdir "$work/certs" --clients "$CLIENTS" \
    --client-id-pattern 'dev-%d' --topic-pattern 'devices/%s/telemetry' --qos "$5" --payload "$6" --rate "$RATE" \
    --window "$WINDOW" --duration "$DUR" --warmup "$WARM" --subscriber-host 127.0.0.1 --subscriber-port "$4" \
    --broker-pid "$3" --label "$1" | tee -a "$RESULTS"
  # Mosquitto A works for the palisade path only; its CPU over warm-up + run, in % of one core
  echo "{\"label\":\"$1\",\"mosquitto_a_cpu_pct\":$(( ($(cpu_ticks "$mosquitto_a") - before) * 100 / $(getconf CLK_TCK) / (DUR + WARM) ))}" | tee -a "$RESULTS"
}
for scenario in $SCENARIOS; do
  qos=${scenario%%-*}; qos=${qos#qos}; payload=${scenario#*-}
  for r in $(seq "$RUNS"); do
    run "palisade ${upstream%%://*}$UPSTREAM_OPTIONS${UP_OPTIONS:+ $UP_OPTIONS} $scenario" "$mqtt" "$gateway_pid" "$sub_a" "$qos" "$payload"
    run "mosquitto $scenario" "$tls_b" "$mosquitto_b" "$sub_b" "$qos" "$payload"
  done
done
echo "mosquitto A (behind palisade) pid $mosquitto_a; results in $RESULTS" >&2

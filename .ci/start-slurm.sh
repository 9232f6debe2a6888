#!/usr/bin/env bash
# Starts a one-node Slurm on this machine (munged, slurmctld and slurmd, partition "debug" on localhost)
# for the Slurm integration test of the experiment runner. Idempotent: returns at once when a Slurm node
# is already up. Installs Debian's slurm-wlm and munge with apt-get when missing (needs root).
# Exit status: 0 = Slurm is up; 3 = Slurm is missing and apt-get is unavailable (callers skip the Slurm
# test with this message); anything else = a real failure, with the daemons' logs printed.
set -euo pipefail

log() { echo "start-slurm: $*" >&2; }

# pidof (sysvinit-utils) is in every Debian install; procps' pgrep may be missing on minimal images.
running() { pidof "$1" >/dev/null 2>&1 || pgrep -x "$1" >/dev/null 2>&1; }

node_up() { sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated|completing)'; }

if command -v sinfo >/dev/null 2>&1 && node_up; then
  log "a Slurm node is already up"
  exit 0
fi

if ! command -v slurmctld >/dev/null 2>&1 || ! command -v slurmd >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
  if ! command -v apt-get >/dev/null 2>&1; then
    log "Slurm is not installed and apt-get is not available: cannot start a local Slurm"
    exit 3
  fi
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
  log "installing slurm-wlm and munge with apt-get"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi

if [ "$(id -u)" -ne 0 ]; then
  log "starting the Slurm daemons needs root"
  exit 1
fi

# munge: a key owned by the munge user, and the daemon running as that user.
if [ ! -s /etc/munge/munge.key ]; then
  if command -v mungekey >/dev/null 2>&1; then mungekey --create --keyfile=/etc/munge/munge.key; else create-munge-key -f; fi
fi
chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
if ! running munged; then
  runuser -u munge -- /usr/sbin/munged --force
fi

NODE="$(hostname -s 2>/dev/null || hostname)"
CPUS="$(nproc)"
MEM_MB="$(awk '/MemTotal/ {print int($2 / 1024 * 0.9)}' /proc/meminfo)"
CONF=/etc/slurm/slurm.conf
MARK="# written by schedlab .ci/start-slurm.sh"
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
if [ ! -f "$CONF" ] || grep -qF "$MARK" "$CONF"; then
  cat > "$CONF" <<CONF
$MARK
ClusterName=schedlab
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SchedulerType=sched/backfill
# Schedule every second (default 60 s), so short test jobs and dependent jobs start at once.
SchedulerParameters=sched_interval=1,bf_interval=1,batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmdTimeout=60
InactiveLimit=0
KillWait=5
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEM_MB State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
CONF
else
  log "keeping the existing $CONF (not written by this script)"
fi

running slurmctld || slurmctld
running slurmd || slurmd -N "$NODE"

for _ in $(seq 1 60); do
  if node_up; then
    log "Slurm is up: node $NODE, $CPUS CPUs, partition debug"
    exit 0
  fi
  # A node that was down at the last shutdown comes back when told to.
  scontrol update nodename="$NODE" state=resume >/dev/null 2>&1 || true
  sleep 1
done
log "Slurm did not come up within 60 s; sinfo says:"
sinfo >&2 || true
tail -n 20 /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log >&2 || true
exit 1

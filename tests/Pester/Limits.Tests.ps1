#Requires -Version 7.6
# Resource limits (memory/OOM, pids, CPU, ulimits) and isolation (namespaces, capabilities, masked paths, network).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Root = Initialize-TestStore

    # Runs a shell script in a fresh container and returns its stdout lines; stderr lines and a non-zero exit fail the test.
    function Invoke-Sh {
        param([Parameter(Mandatory)] [string] $Script, [hashtable] $Options = @{})
        $out = Invoke-Container busybox @Options -Command sh, -c, $Script -ErrorVariable err -ErrorAction SilentlyContinue
        if ($err) { throw "Container script failed: $($err -join '; ') (stdout: $($out -join '; '))" }
        $out
    }

    # The values a probe printed as "key=value" lines, for one key.
    function Get-Probe {
        param([string[]] $Lines, [string] $Key)
        foreach ($line in $Lines) { if ($line.StartsWith("$Key=", [StringComparison]::Ordinal)) { $line.Substring($Key.Length + 1) } }
    }

    # Prints a cgroup file as "v1 <value>" or "v2 <value>" (cgroup v1 controller path, else the v2 unified file).
    $cg = 'cg() { if [ -e /sys/fs/cgroup/$1 ]; then echo "v1 $(cat /sys/fs/cgroup/$1)"; elif [ -e /sys/fs/cgroup/$2 ]; then echo "v2 $(cat /sys/fs/cgroup/$2)"; else echo none; fi; }'

    # One container with limits, one without; each test below checks what they saw.
    $script:Limited = Invoke-Sh -Options @{ Memory = 32MB; Cpus = 0.5; PidsLimit = 20; Ulimit = 'nofile=1024:2048'; Hostname = 'web01' } -Script @"
$cg
echo "memory=`$(cg memory/memory.limit_in_bytes memory.max)"
echo "cpuquota=`$(cg cpu/cpu.cfs_quota_us cpu.max)"
echo "cpuperiod=`$(cg cpu/cpu.cfs_period_us cpu.max)"
echo "pids=`$(cg pids/pids.max pids.max)"
echo "nofile=`$(ulimit -Sn) `$(ulimit -Hn)"
echo "hostname=`$(hostname)"
echo "etchostname=`$(cat /etc/hostname)"
"@
    $script:Plain = Invoke-Sh -Options @{ Network = 'none' } -Script @"
$cg
echo "cpuquota=`$(cg cpu/cpu.cfs_quota_us cpu.max)"
echo "nofilehard=`$(ulimit -Hn)"
echo "hostname=`$(hostname)"
grep -E '^(CapEff|CapPrm|CapBnd|NoNewPrivs):' /proc/self/status | sed 's/:[[:space:]]*/=/'
ps -o pid,args | sed 's/^/ps=/'
for f in /proc/keys /proc/timer_list; do echo "masked=`$f `$(wc -c < `$f) `$(grep -c " `$f " /proc/self/mounts)"; done
if [ -e /proc/kcore ]; then echo "kcore=`$(wc -c < /proc/kcore)"; else echo kcore=absent; fi
if (echo 1 > /proc/sys/vm/drop_caches) 2>/dev/null; then echo procsys=rw; else echo procsys=ro; fi
if touch /sys/x 2>/dev/null; then echo sys=rw; else echo sys=ro; fi
mkdir -p /mnt/t; if mount -t tmpfs none /mnt/t 2>/dev/null; then echo mount=allowed; else echo mount=denied; fi
if unshare -U true 2>/dev/null; then echo userns=allowed; else echo userns=denied; fi
for n in `$(ls /sys/class/net); do echo "netdev=`$n"; done
for n in `$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '); do echo "procnet=`$n"; done
echo secret > /root/mark && echo "mark=`$(cat /root/mark)"
"@
}

AfterAll {
    if ($script:Root) { Remove-TestStore -Root $script:Root }
}

Describe 'Memory limit' {
    It 'shows the limit in the container cgroup and on the object' {
        $c = New-Container busybox -Memory 32MB -Command true -ErrorAction Stop
        $c.Memory | Should -Be 32MB
        $c | Remove-Container
        Get-Probe $script:Limited memory | Should -BeIn @("v1 $(32MB)", "v2 $(32MB)")
    }

    It 'an allocation over -Memory 16MB is OOM-killed: Exited, 137, OOMKilled' {
        $c = New-Container busybox -Memory 16MB -Command sh, -c, 'x=$(head -c 100000000 /dev/zero | tr "\0" a); echo survived' -ErrorAction Stop
        $done = $c | Start-Container -Wait -PassThru -ErrorAction Stop
        $done.Status | Should -Be 'Exited'
        $done.ExitCode | Should -Be 137
        $done.OOMKilled | Should -BeTrue
        Get-ContainerLog -Id $c.Id | Should -Not -Contain 'survived'
        (Get-Container -Id $c.Id).OOMKilled | Should -BeTrue
    }

    It "an OOM kill writes nothing into the caller's working directory" {
        # Initialize-TestStore made the process working directory <root>/cwd; the OOM test above ran from there.
        [Environment]::CurrentDirectory | Should -Be (Join-Path $script:Root 'cwd')
        Get-ChildItem -LiteralPath ([Environment]::CurrentDirectory) -Force | ForEach-Object Name | Should -BeNullOrEmpty
    }

    It 'a container under its limit is not OOMKilled' {
        $done = New-Container busybox -Memory 64MB -Command sh, -c, 'x=$(head -c 1000000 /dev/zero | tr "\0" a); exit 0' -ErrorAction Stop |
            Start-Container -Wait -PassThru -ErrorAction Stop
        $done.ExitCode | Should -Be 0
        $done.OOMKilled | Should -BeFalse
    }

    It 'a container killed by SIGKILL from outside is 137 but not OOMKilled' {
        $c = New-Container busybox -Memory 64MB -Command sleep, 300 -ErrorAction Stop | Start-Container -PassThru
        $done = $c | Stop-Container -Timeout 0 -PassThru -ErrorAction Stop
        $done.ExitCode | Should -Be 137
        $done.OOMKilled | Should -BeFalse
    }
}

Describe 'Pids limit' {
    It 'shows -PidsLimit in the cgroup' {
        Get-Probe $script:Limited pids | Should -BeIn @('v1 20', 'v2 20')
    }

    It 'stops forks beyond the limit' {
        # ash gives up on a failed fork, so the forks run in a subshell and the outer shell reports.
        $script = '(for i in $(seq 1 30); do sleep 5 & done; echo all-forked); read n < /sys/fs/cgroup/pids/pids.current || read n < /sys/fs/cgroup/pids.current; echo current=$n'
        $c = New-Container busybox -PidsLimit 10 -Command sh, -c, $script -ErrorAction Stop
        $c.PidsLimit | Should -Be 10
        $out = $c | Start-Container -Attach -ErrorVariable err -ErrorAction SilentlyContinue
        ($err | Out-String) | Should -Match "can't fork|Resource temporarily unavailable"
        $out | Should -Not -Contain 'all-forked'
        $line = @($out | Where-Object { $_ -like 'current=*' })
        $line | Should -HaveCount 1
        $current = [int]($line[0] -replace 'current=', '')
        $current | Should -BeLessOrEqual 10
        $current | Should -BeGreaterThan 1
    }
}

Describe 'CPU limit' {
    It 'sets -Cpus 0.5 as a CFS quota of half the period' {
        $quota = Get-Probe $script:Limited cpuquota
        if ($quota -like 'v1 *') {
            $quota | Should -Be 'v1 50000'
            Get-Probe $script:Limited cpuperiod | Should -Be 'v1 100000'
        } else {
            $quota | Should -Be 'v2 50000 100000'
        }
    }

    It 'leaves the quota unlimited without -Cpus' {
        Get-Probe $script:Plain cpuquota | Should -BeIn @('v1 -1', 'v2 max 100000')
    }

    It 'rejects -Cpus above the host CPU count as InvalidCpus' {
        New-Container busybox -Cpus ([Environment]::ProcessorCount + 1) -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidCpus,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }
}

Describe 'Ulimits' {
    It 'inherits the host nofile hard limit by default' {
        $hostHard = (& sh -c 'ulimit -Hn').Trim()
        Get-Probe $script:Plain nofilehard | Should -Be $hostHard
    }

    It 'applies -Ulimit nofile=1024:2048' {
        Get-Probe $script:Limited nofile | Should -Be '1024 2048'
    }

    It 'rejects a ulimit above the host hard limit as UlimitExceedsHost' {
        $hostHard = [long](& sh -c 'ulimit -Hn').Trim()
        $want = $hostHard + 1000
        New-Container busybox -Ulimit "nofile=$($want):$($want)" -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'UlimitExceedsHost,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }
}

Describe 'Isolation' {
    It 'has its own pid namespace: pid 1 is the container command and host processes are invisible' {
        $ps = @(Get-Probe $script:Plain ps)
        $pid1 = @($ps | Where-Object { $_ -match '^\s*1\s' })
        $pid1 | Should -HaveCount 1
        $pid1[0] | Should -Match '^\s*1\s+sh -c '
        # The header, sh, ps and sed: nothing of the host.
        $ps.Count | Should -BeLessOrEqual 5
    }

    It 'has its own hostname: the short id by default, -Hostname when given' {
        $c = New-Container busybox -Command hostname -ErrorAction Stop
        $c | Start-Container -Attach -ErrorAction Stop | Should -Be $c.ShortId
        Get-Probe $script:Plain hostname | Should -Match '^[0-9a-f]{12}$'
        Get-Probe $script:Limited hostname | Should -Be 'web01'
        Get-Probe $script:Limited etchostname | Should -Be 'web01'
    }

    It "has Docker's default capabilities (CapEff 00000000a80425fb) and no new privileges" {
        Get-Probe $script:Plain CapEff | Should -Be '00000000a80425fb'
        Get-Probe $script:Plain CapPrm | Should -Be '00000000a80425fb'
        Get-Probe $script:Plain CapBnd | Should -Be '00000000a80425fb'
        Get-Probe $script:Plain NoNewPrivs | Should -Be '1'
    }

    It 'runs as a non-root user with no effective capabilities under -User' {
        $status = Invoke-Sh 'id -u; grep ^CapEff: /proc/self/status' @{ User = 'www' }
        $status[0] | Should -Be '1000'
        $status[1] | Should -Match 'CapEff:\s+0000000000000000'
    }

    It 'masks /proc/keys and /proc/timer_list (and /proc/kcore) and keeps /proc/sys read-only' {
        Get-Probe $script:Plain masked | Should -Be @('/proc/keys 0 1', '/proc/timer_list 0 1')
        Get-Probe $script:Plain kcore | Should -BeIn @('absent', '0')
        Get-Probe $script:Plain procsys | Should -Be 'ro'
    }

    It 'cannot mount (no CAP_SYS_ADMIN) and sees /sys read-only' {
        Get-Probe $script:Plain mount | Should -Be 'denied'
        Get-Probe $script:Plain sys | Should -Be 'ro'
    }

    It 'cannot make a user namespace (seccomp refuses unshare)' {
        Get-Probe $script:Plain userns | Should -Be 'denied'
    }

    It 'has no network but loopback' {
        Get-Probe $script:Plain netdev | Should -Be 'lo'
        Get-Probe $script:Plain procnet | Should -Be 'lo'
    }

    It 'makes the root read-only with -ReadOnly, with a writable /tmp' {
        $out = Invoke-Sh 'if touch /rootfile 2>/dev/null; then echo root-rw; else echo root-ro; fi; touch /tmp/ok && echo tmp-rw' @{ ReadOnly = $true }
        $out | Should -Be @('root-ro', 'tmp-rw')
    }

    It 'keeps writes in the container: another container of the same image does not see them' {
        Get-Probe $script:Plain mark | Should -Be 'secret'
        Invoke-Sh 'if [ -e /root/mark ]; then echo leaked; else echo clean; fi' | Should -Be 'clean'
    }
}

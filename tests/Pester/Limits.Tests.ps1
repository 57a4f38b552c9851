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

    # Reads a cgroup file inside the container: the v1 controller path, else the v2 unified path.
    function Get-CgroupValue {
        param([string] $V1, [string] $V2, [hashtable] $Options = @{})
        Invoke-Sh "if [ -e /sys/fs/cgroup/$V1 ]; then echo v1 `$(cat /sys/fs/cgroup/$V1); elif [ -e /sys/fs/cgroup/$V2 ]; then echo v2 `$(cat /sys/fs/cgroup/$V2); else echo none; fi" $Options
    }
}

AfterAll {
    Remove-TestStore -Root $script:Root
}

Describe 'Memory limit' {
    It 'shows the limit in the container cgroup and on the object' {
        $c = New-Container busybox -Memory 32MB -Command true -ErrorAction Stop
        $c.Memory | Should -Be 32MB
        $c | Remove-Container
        $value = Get-CgroupValue -V1 memory/memory.limit_in_bytes -V2 memory.max -Options @{ Memory = 32MB }
        $value | Should -Match '^v[12] '
        ($value -split ' ')[1] | Should -Be ([string] 32MB)
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
        $value = Get-CgroupValue -V1 pids/pids.max -V2 pids.max -Options @{ PidsLimit = 20 }
        $value | Should -Match '^v[12] 20$'
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
        $quota = Get-CgroupValue -V1 cpu/cpu.cfs_quota_us -V2 cpu.max -Options @{ Cpus = 0.5 }
        if ($quota -like 'v1 *') {
            $quota | Should -Be 'v1 50000'
            Get-CgroupValue -V1 cpu/cpu.cfs_period_us -V2 cpu.max -Options @{ Cpus = 0.5 } | Should -Be 'v1 100000'
        } else {
            $quota | Should -Be 'v2 50000 100000'
        }
    }

    It 'leaves the quota unlimited without -Cpus' {
        Get-CgroupValue -V1 cpu/cpu.cfs_quota_us -V2 cpu.max | Should -BeIn @('v1 -1', 'v2 max 100000')
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
        Invoke-Sh 'ulimit -Hn' | Should -Be $hostHard
    }

    It 'applies -Ulimit nofile=1024:2048' {
        Invoke-Sh 'echo $(ulimit -Sn) $(ulimit -Hn)' @{ Ulimit = 'nofile=1024:2048' } | Should -Be '1024 2048'
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
        # The trailing command keeps sh from exec'ing ps, so sh stays pid 1.
        $out = Invoke-Sh 'ps -o pid,args; exit 0'
        $pid1 = @($out | Where-Object { $_ -match '^\s*1\s' })
        $pid1 | Should -HaveCount 1
        $pid1[0] | Should -Match '^\s*1\s+sh -c ps -o pid,args; exit 0\s*$'
        ($out | Select-Object -Skip 1).Count | Should -BeLessOrEqual 3
    }

    It 'has its own hostname: the short id by default, -Hostname when given' {
        $c = New-Container busybox -Command hostname -ErrorAction Stop
        $c | Start-Container -Attach -ErrorAction Stop | Should -Be $c.ShortId
        Invoke-Sh 'hostname; cat /etc/hostname' @{ Hostname = 'web01' } | Should -Be @('web01', 'web01')
    }

    It "has Docker's default capabilities (CapEff 00000000a80425fb) and no new privileges" {
        $status = Invoke-Sh 'grep -E "^(CapEff|CapPrm|CapBnd|NoNewPrivs):" /proc/self/status'
        $map = @{}
        foreach ($line in $status) { $k, $v = $line -split ':\s*', 2; $map[$k] = $v.Trim() }
        $map['CapEff'] | Should -Be '00000000a80425fb'
        $map['CapPrm'] | Should -Be '00000000a80425fb'
        $map['CapBnd'] | Should -Be '00000000a80425fb'
        $map['NoNewPrivs'] | Should -Be '1'
    }

    It 'runs as a non-root user with no effective capabilities under -User' {
        $status = Invoke-Sh 'id -u; grep ^CapEff: /proc/self/status' @{ User = 'www' }
        $status[0] | Should -Be '1000'
        $status[1] | Should -Match 'CapEff:\s+0000000000000000'
    }

    It 'masks /proc/keys and /proc/timer_list and keeps /proc/sys read-only' {
        $out = Invoke-Sh 'for f in /proc/keys /proc/timer_list; do echo "$f $(wc -c < $f) $(grep -c " $f " /proc/self/mounts)"; done; if (echo 1 > /proc/sys/vm/drop_caches) 2>/dev/null; then echo sys-writable; else echo sys-readonly; fi; if [ -e /proc/kcore ]; then echo "kcore $(wc -c < /proc/kcore)"; else echo kcore absent; fi'
        $out | Should -Contain '/proc/keys 0 1'
        $out | Should -Contain '/proc/timer_list 0 1'
        $out | Should -Contain 'sys-readonly'
        $out | Where-Object { $_ -like 'kcore *' } | Should -BeIn @('kcore absent', 'kcore 0')
    }

    It 'cannot mount (no CAP_SYS_ADMIN) and sees /sys read-only' {
        $out = Invoke-Sh 'mkdir -p /mnt/t; if mount -t tmpfs none /mnt/t 2>/dev/null; then echo mounted; else echo denied; fi; if touch /sys/x 2>/dev/null; then echo sys-rw; else echo sys-ro; fi'
        $out | Should -Be @('denied', 'sys-ro')
    }

    It 'has no network but loopback' {
        $out = Invoke-Sh 'ls /sys/class/net; echo ---; tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "'
        $out | Should -Be @('lo', '---', 'lo')
    }

    It 'makes the root read-only with -ReadOnly, with a writable /tmp' {
        $out = Invoke-Sh 'if touch /rootfile 2>/dev/null; then echo root-rw; else echo root-ro; fi; touch /tmp/ok && echo tmp-rw' @{ ReadOnly = $true }
        $out | Should -Be @('root-ro', 'tmp-rw')
    }

    It 'keeps writes in the container: another container of the same image does not see them' {
        Invoke-Sh 'echo secret > /root/mark; cat /root/mark' | Should -Be 'secret'
        Invoke-Sh 'if [ -e /root/mark ]; then echo leaked; else echo clean; fi' | Should -Be 'clean'
    }
}

#Requires -Version 7.6
# Containers that look after themselves with no session open: restart policies decided on the exit path,
# healthchecks run by the store's health monitor, -Init, and the boot path (Start-ContainerEngine).
# Every step that changes state runs in a child pwsh that exits at once; what happens next is read from the
# store's files, so nothing here can be done by a session that happens to look.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Root = Initialize-TestStore

    # Runs a step in a child pwsh that exits when the step ends; its output lines, or a throw with its errors.
    function Invoke-Step([string] $Script, [int] $TimeoutSeconds = 60) {
        $result = Invoke-ChildPwsh -Script $Script -TimeoutSeconds $TimeoutSeconds
        if ($result.ExitCode -ne 0) { throw "Step failed ($($result.ExitCode)): $($result.Errors -join "`n") $($result.Output -join "`n")" }
        $result.Output
    }

    # A container's record and health as the store holds them, read without the engine.
    function Get-Record([string] $Id) {
        Get-Content -Raw (Join-Path $script:Root "containers/$Id/container.json") | ConvertFrom-Json
    }

    function Get-HealthFile([string] $Id) {
        $file = Join-Path $script:Root "containers/$Id/health.json"
        if (Test-Path $file) { Get-Content -Raw $file | ConvertFrom-Json }
    }

    # Starts a container in a child pwsh and returns its id.
    function Start-Detached([string] $Arguments) {
        $id = Invoke-Step "(New-Container busybox -Network none $Arguments | Start-Container -PassThru).Id"
        $id | Should -Match '^[0-9a-f]{64}$'
        $id
    }
}

AfterAll {
    if ($script:Root) { Remove-TestStore -Root $script:Root }
}

Describe 'Restart policies' {
    It 'on-failure:2 restarts a failing container twice, then leaves it exited with the last exit code' {
        $id = Start-Detached "-Name onfail -RestartPolicy on-failure:2 -Command sh, -c, 'echo run; exit 3'"
        Wait-Condition { $r = Get-Record $id; $r.State.Status -eq 'Exited' -and $r.State.RestartCount -eq 2 } -TimeoutSeconds 40 -Message 'two restarts, then Exited'
        Start-Sleep -Seconds 2
        $record = Get-Record $id
        $record.State.Status | Should -Be 'Exited'
        $record.State.RestartCount | Should -Be 2
        $record.State.ExitCode | Should -Be 3
        Invoke-Step 'Wait-Container onfail' | Should -Be '3'
        Invoke-Step 'Get-ContainerLog onfail' | Should -Be @('run', 'run', 'run')
        $info = Invoke-Step 'Get-Container onfail | ForEach-Object { "$($_.RestartPolicy) $($_.RestartCount) $($null -ne $_.StartedAt) $($null -ne $_.FinishedAt)" }'
        $info | Should -Be 'on-failure:2 2 True True'
    }

    It 'always restarts a container that exits 0 until Stop-Container, which it never undoes' {
        $id = Start-Detached "-Name forever -RestartPolicy always -Command sh, -c, 'sleep 0.2'"
        Wait-Condition { (Get-Record $id).State.RestartCount -ge 3 } -TimeoutSeconds 40 -Message 'three restarts'
        Invoke-Step 'Stop-Container forever'
        $stopped = Get-Record $id
        $stopped.State.Status | Should -Be 'Exited'
        $stopped.State.ManuallyStopped | Should -BeTrue
        Start-Sleep -Seconds 3
        $later = Get-Record $id
        $later.State.Status | Should -Be 'Exited'
        $later.State.RestartCount | Should -Be $stopped.State.RestartCount
    }

    It 'on-failure restarts a container the kernel OOM-killed' {
        $id = Start-Detached "-Name oom -Memory 16MB -RestartPolicy on-failure:1 -Command sh, -c, 'x=`$(head -c 100000000 /dev/zero | tr `"\0`" a); echo survived'"
        Wait-Condition { $r = Get-Record $id; $r.State.Status -eq 'Exited' -and $r.State.RestartCount -eq 1 } -TimeoutSeconds 40 -Message 'one restart, then Exited'
        $record = Get-Record $id
        $record.State.ExitCode | Should -Be 137
        $record.State.OomKilled | Should -BeTrue
    }

    It 'Set-Container changes the policy and the limits of a running container at once' {
        $id = Start-Detached '-Name live -Memory 64MB -Command sleep, 300'
        Invoke-Step 'Set-Container live -Memory 96MB -PidsLimit 40 -RestartPolicy unless-stopped'
        $cgroups = @(Get-ContainerCgroup -Id $id)
        $memory = $cgroups | ForEach-Object { "$_/memory.limit_in_bytes", "$_/memory.max" } | Where-Object { Test-Path $_ } | Select-Object -First 1
        $pids = $cgroups | ForEach-Object { "$_/pids.max" } | Where-Object { Test-Path $_ } | Select-Object -First 1
        (Get-Content $memory).Trim() | Should -Be "$(96MB)"
        (Get-Content $pids).Trim() | Should -Be '40'
        (Get-Record $id).Settings.RestartPolicy | Should -Be 'unless-stopped'
        Invoke-Step 'Remove-Container live -Force'
    }

    It 'refuses a policy Docker refuses, and -RestartPolicy with -AutoRemove' {
        { New-Container busybox -RestartPolicy sometimes -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidRestartPolicy,PSContainer.Commands.Containers.NewContainerCommand'
        { New-Container busybox -RestartPolicy always -AutoRemove -ErrorAction Stop } | Should -Throw -ErrorId 'RestartPolicyWithAutoRemove,PSContainer.Commands.Containers.NewContainerCommand'
    }
}

Describe 'Healthchecks' {
    It 'goes starting, then healthy, then unhealthy as the probe result changes, with no session open' {
        # Failures in the start period do not count while it is starting; once healthy, they do.
        $id, $first = Invoke-Step ("`$c = New-Container busybox -Network none -Name probe -HealthCommand 'test -f /tmp/ok' -HealthInterval 1s " +
            "-HealthRetries 2 -HealthStartPeriod 60s -HealthStartInterval 1s -Command sh, -c, 'sleep 12; touch /tmp/ok; sleep 5; rm /tmp/ok; sleep 300' | " +
            "Start-Container -PassThru; `$c.Id; (Get-Container -Id `$c.Id).Health")
        $first | Should -Be 'starting'
        Wait-Condition { (Get-HealthFile $id).Status -eq 'healthy' } -TimeoutSeconds 30 -Message 'healthy'
        Wait-Condition { (Get-HealthFile $id).Status -eq 'unhealthy' } -TimeoutSeconds 30 -Message 'unhealthy'
        $health = Get-HealthFile $id
        $health.FailingStreak | Should -BeGreaterOrEqual 2
        $health.Log.Count | Should -BeLessOrEqual 5
        $health.Log[-1].ExitCode | Should -Be 1
        $shown = Invoke-Step 'Get-Container probe | ForEach-Object { $_.StatusText; $_.HealthLog.FailingStreak }'
        $shown[0] | Should -Match '^Up .* \(unhealthy\)$'
        [int] $shown[1] | Should -BeGreaterOrEqual 2
    }

    It 'Test-ContainerHealth runs one probe now and records it' {
        $result = Invoke-Step 'Test-ContainerHealth probe | ForEach-Object { "$($_.Passed) $($_.ExitCode) $($_.Status)" }'
        $result | Should -Be 'False 1 unhealthy'
    }

    It 'Wait-Container -Condition Healthy returns the container once its probe passes; -Timeout ends a wait' {
        $null = Start-Detached "-Name waiter -HealthCommand true -HealthInterval 1s -Command sleep, 300"
        Invoke-Step 'Wait-Container waiter -Condition Healthy -Timeout 30s | ForEach-Object Health' | Should -Be 'healthy'
        $timedOut = Invoke-ChildPwsh -Script 'Wait-Container waiter -Timeout 1s'
        $timedOut.ExitCode | Should -Not -Be 0
        $timedOut.Errors -join ' ' | Should -Match 'WaitTimeout|was not exited within'
    }

    It '-HealthOnFailure restart starts an unhealthy container again' {
        $id = Start-Detached "-Name sick -HealthCommand false -HealthInterval 1s -HealthRetries 1 -HealthOnFailure restart -StopTimeout 1 -Command sleep, 300"
        $firstStart = (Get-Record $id).State.StartedAt
        Wait-Condition { $r = Get-Record $id; $r.State.Status -eq 'Running' -and $r.State.StartedAt -ne $firstStart } -TimeoutSeconds 40 -Message 'a restart'
    }

    It 'the monitor stops probing once no healthchecked container runs, and -NoHealthcheck conflicts with -HealthCommand' {
        Invoke-Step 'Get-Container probe, waiter, sick | Remove-Container -Force'
        Wait-Condition { -not (Get-StoreProcess -Mentioning "--health-monitor $script:Root") } -TimeoutSeconds 30 -Message 'the monitor to exit'
        { New-Container busybox -NoHealthcheck -HealthCommand true -ErrorAction Stop } | Should -Throw -ErrorId 'HealthcheckConflict,PSContainer.Commands.Containers.NewContainerCommand'
    }
}

Describe '-Init' {
    It 'reaps the zombies a container makes, which a plain pid 1 leaves behind' {
        # The subshell exits at once: its child sleep is orphaned to pid 1, and becomes a zombie when it ends.
        $command = "-Command sh, -c, '(sleep 0.2 &); exec sleep 300'"
        $null = Start-Detached "-Name plain $command"
        $null = Start-Detached "-Name reaped -Init $command"
        Start-Sleep -Seconds 2
        $count = 'Invoke-ContainerCommand {0} -- sh -c "cat /proc/[0-9]*/stat" | Where-Object {{ ($_ -split " ")[2] -eq "Z" }} | Measure-Object | ForEach-Object Count'
        [int] (Invoke-Step ($count -f 'plain')) | Should -Be 1
        [int] (Invoke-Step ($count -f 'reaped')) | Should -Be 0
        Invoke-Step 'Get-Container reaped | ForEach-Object { $_.Init; $_.Command[0] }' | Should -Be @('True', 'sh')
        Invoke-Step 'Get-Container plain, reaped | Remove-Container -Force'
    }
}

Describe 'docker run parity' {
    It 'maps resolver, /dev/shm, sysctl, tmpfs, group, OOM and UTS options into the container and onto ContainerInfo' {
        $envFile = Join-Path $script:Root 'app.env'
        Set-Content -Path $envFile -Value "# settings`nGREETING=hello`nFROM_FILE=1"
        $out = Invoke-Step ("Invoke-Container busybox -Network none -EnvironmentFile '$envFile' -Environment GREETING=hi -AddHost db:10.1.2.3 " +
            "-Dns 10.0.0.2 -DnsSearch corp.example -ShmSize 32MB -Sysctl kernel.shmmni=1024 -Tmpfs /cache:size=1m -GroupAdd staff -OomScoreAdj 300 " +
            "-Command sh, -c, 'echo `$GREETING `$FROM_FILE; grep db /etc/hosts; cat /etc/resolv.conf; df -k /dev/shm | tail -1; cat /proc/sys/kernel/shmmni; " +
            "grep -o ^tmpfs./cache /proc/mounts; id -G; cat /proc/self/oom_score_adj'") -TimeoutSeconds 180
        $out[0] | Should -Be 'hi 1'
        $out[1] | Should -Match '^10\.1\.2\.3\s+db$'
        $out | Should -Contain 'nameserver 10.0.0.2'
        $out | Should -Contain 'search corp.example'
        ($out | Where-Object { $_ -match '/dev/shm$' }) | Should -Match '\s32768\s'
        $out | Should -Contain '1024'
        $out | Should -Contain 'tmpfs /cache'
        $out | Should -Contain '0 50'
        $out[-1] | Should -Be '300'
        $shown = Invoke-Step "New-Container busybox -Network none -Uts host -CpuShares 512 -Sysctl kernel.shmmni=1024 | ForEach-Object { `$_.UtsMode; `$_.CpuShares; `$_.Sysctls['kernel.shmmni'] }"
        $shown | Should -Be @('host', '512', '1024')
    }

    It 'refuses clearly what the host cannot grant' {
        { New-Container busybox -Sysctl vm.swappiness=10 -ErrorAction Stop } | Should -Throw -ErrorId 'SysctlNotNamespaced,PSContainer.Commands.Containers.NewContainerCommand'
        { New-Container busybox -Platform linux/s390x -ErrorAction Stop } | Should -Throw -ErrorId 'PlatformNotAvailable,PSContainer.Commands.Containers.NewContainerCommand'
        { New-Container busybox -Pid container:nothing-here -Command true -ErrorAction Stop | Start-Container -ErrorAction Stop } | Should -Throw
    }
}

Describe 'Start-ContainerEngine after a reboot' {
    It 'brings back exactly the containers Docker would, once per boot' {
        Invoke-Step 'Get-Container -All | Remove-Container -Force'
        $sleep = '-Command sleep, 300'
        $null = Start-Detached "-Name b-always -RestartPolicy always $sleep"
        $null = Start-Detached "-Name b-unless -RestartPolicy unless-stopped $sleep"
        $null = Start-Detached "-Name b-unless-stopped -RestartPolicy unless-stopped $sleep"
        $null = Start-Detached "-Name b-always-stopped -RestartPolicy always $sleep"
        $null = Start-Detached "-Name b-onfailure -RestartPolicy on-failure $sleep"
        $null = Start-Detached "-Name b-no $sleep"
        $null = Start-Detached "-Name b-onfailure-done -RestartPolicy on-failure -Command true"
        Invoke-Step 'New-Container busybox -Name b-never -RestartPolicy always -Network none | Out-Null'
        Invoke-Step 'Stop-Container b-unless-stopped, b-always-stopped -Timeout 0; Wait-Container b-onfailure-done | Out-Null'

        # The reboot: every process gone, every mount gone, the run root wiped.
        $runRoot = Invoke-Step '(Get-ContainerEngine).RunRoot'
        foreach ($p in Get-StoreProcess -Mentioning $script:Root) { & kill -9 $p.Id 2>$null }
        foreach ($p in Get-StoreProcess -Mentioning $runRoot) { & kill -9 $p.Id 2>$null }
        foreach ($dir in Get-ChildItem (Join-Path $script:Root 'containers') -Directory) {
            foreach ($path in Get-ContainerCgroup -Id $dir.Name) {
                foreach ($task in @(Get-Content "$path/cgroup.procs" -ErrorAction Ignore)) { & kill -9 $task 2>$null }
            }
        }
        Start-Sleep -Milliseconds 500
        foreach ($m in Get-StoreMount -Under $script:Root) { & umount -l $m }
        Remove-Item -LiteralPath $runRoot -Recurse -Force

        $started = Invoke-Step 'Start-ContainerEngine -PassThru | ForEach-Object Name | Sort-Object' -TimeoutSeconds 120
        $started | Should -Be @('b-always', 'b-always-stopped', 'b-onfailure', 'b-unless')
        $running = Invoke-Step 'Get-Container | ForEach-Object Name | Sort-Object'
        $running | Should -Be @('b-always', 'b-always-stopped', 'b-onfailure', 'b-unless')
        Invoke-Step 'Start-ContainerEngine -PassThru' | Should -BeNullOrEmpty
        Invoke-Step 'Get-Container -All b-* | Remove-Container -Force'
    }
}

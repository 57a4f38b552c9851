#Requires -Version 7.6
# Daemonless persistence: containers outlive the pwsh that started them, state is read back by new
# sessions, a killed session leaves a consistent store, and a wiped run root (a reboot) is reconciled.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Root = Initialize-TestStore

    # The containers as a new pwsh sees them: name, status, exit code, pid and times (Unix ms).
    $script:ListScript = @'
Get-Container -All | ForEach-Object {
    [pscustomobject]@{
        Name = $_.Name; Id = $_.Id; Status = [string] $_.Status; ExitCode = $_.ExitCode; Pid = $_.Pid
        StartedAt = if ($_.StartedAt) { $_.StartedAt.ToUnixTimeMilliseconds() } else { $null }
        FinishedAt = if ($_.FinishedAt) { $_.FinishedAt.ToUnixTimeMilliseconds() } else { $null }
    }
} | ConvertTo-Json -AsArray -Compress -Depth 3
'@

    function Get-ContainerFromNewSession {
        $r = Invoke-ChildPwsh -Script $script:ListScript -TimeoutSeconds 90
        if ($r.ExitCode -ne 0) { throw "Listing in a new pwsh failed ($($r.ExitCode)): $($r.Errors -join "`n")" }
        @(($r.Output -join "`n") | ConvertFrom-Json)
    }

    function Test-ProcessAlive([int] $Id) {
        if ($Id -le 0) { return $false }
        try { $stat = [IO.File]::ReadAllText("/proc/$Id/stat") } catch { return $false }
        # Field 3 (after the parenthesised comm) is the state; a zombie is as good as gone.
        $state = $stat.Substring($stat.LastIndexOf(')') + 2, 1)
        $state -ne 'Z'
    }

    function Assert-StoreClean {
        param([string] $Because)
        $dirs = @(Get-ChildItem -LiteralPath (Join-Path $script:Root 'containers') -Force -ErrorAction Ignore)
        $dirs.Name | Should -BeNullOrEmpty -Because "no container directories are left ($Because)"
        Get-StoreMount -Under $script:Root | Should -BeNullOrEmpty -Because "no mounts are left under the store ($Because)"
        Get-StoreProcess -Mentioning $script:Root -Comm conmon | Should -BeNullOrEmpty -Because "no conmon of the store is left ($Because)"
    }
}

AfterAll {
    $ids = foreach ($c in $script:Up1, $script:Up2, $script:Paused) { if ($c) { $c.Id } }
    if ($script:Root) { Remove-TestStore -Root $script:Root -ContainerId $ids }
}

Describe 'A container outlives the pwsh that started it' {
    BeforeAll {
        # It runs until it gets SIGUSR1 from the host, then exits 7.
        $start = Invoke-ChildPwsh -TimeoutSeconds 90 -Script @'
$c = New-Container busybox -Name outlive -Command sh, -c, 'trap "exit 7" USR1; while :; do sleep 0.2; done' | Start-Container -PassThru
$c.Id
'@
        $start.ExitCode | Should -Be 0 -Because ($start.Errors -join "`n")
        $script:OutliveId = $start.Output[-1].Trim()
    }

    It 'is still running after that process has exited, as a new pwsh sees it' {
        $seen = Get-ContainerFromNewSession | Where-Object Name -EQ 'outlive'
        $seen | Should -HaveCount 1
        $seen.Id | Should -Be $script:OutliveId
        $seen.Status | Should -Be 'Running'
        Test-ProcessAlive $seen.Pid | Should -BeTrue
        $script:OutlivePid = $seen.Pid
        $script:OutliveStarted = $seen.StartedAt
    }

    It 'is Exited with its real exit code and finish time in a new pwsh after it ends' {
        $script:OutlivePid | Should -BeGreaterThan 0
        $signalled = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
        & kill -USR1 $script:OutlivePid
        Wait-Condition { -not (Test-ProcessAlive $script:OutlivePid) } -TimeoutSeconds 30 -Message 'the container process to end'
        $gone = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
        # Look well after the exit, so a FinishedAt taken at look-up time would show.
        Start-Sleep -Seconds 4
        $seen = Get-ContainerFromNewSession | Where-Object Name -EQ 'outlive'
        $seen.Status | Should -Be 'Exited'
        $seen.ExitCode | Should -Be 7
        $seen.FinishedAt | Should -Not -BeNullOrEmpty
        $seen.FinishedAt | Should -BeGreaterOrEqual ($signalled - 1000) -Because 'it exited after the signal'
        $seen.FinishedAt | Should -BeLessOrEqual ($gone + 2500) -Because 'FinishedAt is when it exited, not when it was looked at'
        Get-StoreMount -Under (Join-Path $script:Root "containers/$($script:OutliveId)") | Should -BeNullOrEmpty
    }

    AfterAll {
        Remove-Container outlive -Force -ErrorAction SilentlyContinue
    }
}

Describe 'A pwsh killed with SIGKILL in the middle of work' {
    It 'leaves a consistent store (kill after <Delay> ms)' -ForEach @(@{ Delay = 700 }, @{ Delay = 2100 }) {
        $worker = Start-ChildPwsh -Script @'
'ready' | Out-File -LiteralPath ($env:PSC_TEST_READY)
for ($i = 0; $i -lt 200; $i++) {
    $c = New-Container busybox -Label churn=1 -Command sleep, 300
    $c | Start-Container
    if ($i % 2) { $c | Remove-Container -Force }
}
'@ -Environment @{ PSC_TEST_READY = ($ready = "/tmp/psc-pester-ready-$([guid]::NewGuid().ToString('N'))") }
        try {
            Wait-Condition { Test-Path $ready } -TimeoutSeconds 60 -Message 'the worker pwsh to load the module'
            Start-Sleep -Milliseconds $Delay
            $worker.HasExited | Should -BeFalse -Because 'the worker is still busy when it is killed'
            & kill -9 $worker.Id
            $worker.WaitForExit()
        } finally {
            Remove-Item $ready, $worker.StdoutFile, $worker.StderrFile -ErrorAction Ignore
        }

        # Another session (a runspace with a time limit) reads the store without hanging on a lock or
        # failing on a half-written record.
        $job = Start-ThreadJob -ArgumentList $env:PSCONTAINER_MODULE -ScriptBlock {
            param($module)
            Import-Module $module
            Get-Container -All -ErrorAction Stop | Select-Object Id, Name, @{ n = 'Status'; e = { [string] $_.Status } }, Pid
        }
        try {
            Wait-Job $job -Timeout 60 | Should -Not -BeNullOrEmpty -Because 'listing must not hang on the lock of a killed session'
            $seen = @(Receive-Job $job -ErrorAction Stop)
        } finally {
            Remove-Job $job -Force
        }
        foreach ($c in $seen) { $c.Status | Should -BeIn @('Created', 'Running', 'Exited') }
        $listed = @($seen.Id)
        $onDisk = @(Get-ChildItem -LiteralPath (Join-Path $script:Root 'containers') -Directory -Force | Where-Object Name -NotMatch '^\.' | ForEach-Object Name)
        $onDisk | Where-Object { $_ -notin $listed } | Should -BeNullOrEmpty -Because 'every container directory is a listed container'
        Get-ChildItem -LiteralPath (Join-Path $script:Root 'containers') -Force | Where-Object Name -Match '^\.' | Should -BeNullOrEmpty -Because 'staging and trash directories are repaired away'

        # Every running container is really running; every one can be removed.
        foreach ($c in $seen | Where-Object Status -EQ 'Running') { Test-ProcessAlive $c.Pid | Should -BeTrue }
        Get-Container -All | Remove-Container -Force -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -BeNullOrEmpty
        @(Get-Container -All).Count | Should -Be 0
        Assert-StoreClean -Because 'after removing everything'
        @(Get-ChildItem -LiteralPath (Join-Path $script:Root 'tmp') -Force).Count | Should -Be 0
    }
}

Describe 'A wiped run root (a simulated reboot)' {
    BeforeAll {
        $script:Up1 = New-Container busybox -Name reboot-up1 -Command sleep, 300 -ErrorAction Stop | Start-Container -PassThru
        $script:Up2 = New-Container busybox -Name reboot-up2 -Command sleep, 300 -ErrorAction Stop | Start-Container -PassThru
        $script:Paused = New-Container busybox -Name reboot-paused -Command sleep, 300 -ErrorAction Stop | Start-Container -PassThru
        Suspend-Container reboot-paused -ErrorAction Stop
        $script:Done = New-Container busybox -Name reboot-done -Command sh, -c, 'exit 5' -ErrorAction Stop | Start-Container -Wait -PassThru
        $script:Fresh = New-Container busybox -Name reboot-fresh -Command true -ErrorAction Stop
        $script:RunRoot = (Get-ContainerEngine).RunRoot
        $script:RunRoot | Should -Match '^/run/pscontainer-'

        # What a reboot does: monitors gone, /run empty.
        $conmons = @(Get-StoreProcess -Mentioning $script:Root -Comm conmon)
        $conmons.Count | Should -BeGreaterOrEqual 3
        foreach ($p in $conmons) { & kill -9 $p.Id }
        Wait-Condition { -not (Get-StoreProcess -Mentioning $script:Root -Comm conmon) } -TimeoutSeconds 10 -Message 'conmon to die'
        & rm -rf $script:RunRoot
        Test-Path $script:RunRoot | Should -BeFalse
    }

    It 'shows no phantom running or paused containers' {
        $seen = Get-ContainerFromNewSession
        ($seen | Where-Object Status -In 'Running', 'Paused') | Should -BeNullOrEmpty
        @(Get-Container).Count | Should -Be 0
    }

    It 'marks the containers that were running as Exited with an exit code and finish time' {
        foreach ($name in 'reboot-up1', 'reboot-up2', 'reboot-paused') {
            $c = Get-Container $name
            $c.Status | Should -Be 'Exited'
            $c.ExitCode | Should -Not -BeNullOrEmpty
            $c.ExitCode | Should -Not -Be 0
            $c.FinishedAt | Should -Not -BeNullOrEmpty
            $c.Pid | Should -Be 0
        }
    }

    It 'leaves the other containers as they were' {
        $done = Get-Container reboot-done
        $done.Status | Should -Be 'Exited'
        $done.ExitCode | Should -Be 5
        $done.FinishedAt | Should -Be $script:Done.FinishedAt
        (Get-Container reboot-fresh).Status | Should -Be 'Created'
    }

    It 'leaves no overlay mount under the store' {
        Get-StoreMount -Under $script:Root | Should -BeNullOrEmpty
    }

    It 'leaves no container process of the old run behind' {
        foreach ($c in $script:Up1, $script:Up2, $script:Paused) {
            Wait-Condition { -not (Test-ProcessAlive $c.Pid) } -TimeoutSeconds 10 -Message "process $($c.Pid) of $($c.Name) to be gone"
        }
    }

    It 'can start a container again' {
        $c = Start-Container reboot-up1 -PassThru -ErrorAction Stop
        $c.Status | Should -Be 'Running'
        Test-ProcessAlive $c.Pid | Should -BeTrue
        Stop-Container reboot-up1 -Timeout 0 -ErrorAction Stop
    }

    It 'removes every container and leaves the store clean' {
        Get-Container -All | Remove-Container -Force -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -BeNullOrEmpty
        @(Get-Container -All).Count | Should -Be 0
        Assert-StoreClean -Because 'after the reboot and removal'
    }

    It 'leaves no cgroup of the removed containers' {
        foreach ($c in $script:Up1, $script:Up2, $script:Paused, $script:Done) {
            Get-ContainerCgroup -Id $c.Id | Should -BeNullOrEmpty -Because "the cgroups of $($c.Name) go with it"
        }
    }
}

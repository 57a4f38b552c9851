#Requires -Version 7.6
# Container lifecycle: create, start, pause, resume, stop, restart, remove; Wait-Container; -AutoRemove;
# pipeline binding; -WhatIf; ErrorIds and categories for bad input.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Root = Initialize-TestStore

    # A command that runs until stopped and exits 3 on SIGTERM.
    $script:Trapping = @('sh', '-c', 'trap "exit 3" TERM; while :; do sleep 0.1; done')

    function Get-RootfsMount([string] $Id) {
        Get-StoreMount -Under (Join-Path $script:Root "containers/$Id")
    }

    function Get-FreezerState([string] $Id) {
        $v1 = "/sys/fs/cgroup/freezer/pscontainer/$Id/freezer.state"
        if (Test-Path $v1) { return (Get-Content $v1).Trim() }
        foreach ($v2 in "/sys/fs/cgroup/pscontainer/$Id/cgroup.freeze", "/sys/fs/cgroup/unified/pscontainer/$Id/cgroup.freeze") {
            if (Test-Path $v2) { return $(if ((Get-Content $v2).Trim() -eq '1') { 'FROZEN' } else { 'THAWED' }) }
        }
        throw "No freezer cgroup found for container $Id."
    }
}

AfterAll {
    if ($script:Root) { Remove-TestStore -Root $script:Root }
}

Describe 'New-Container' {
    It 'creates a container in the Created state and writes its ContainerInfo' {
        $c = New-Container busybox -Name created-1 -Label tier=web, owner=qa -Memory 64MB -Command echo, hi -ErrorAction Stop
        $c | Should -BeOfType ([PSContainer.Engine.Containers.ContainerInfo])
        $c.Id | Should -Match '^[0-9a-f]{64}$'
        $c.ShortId | Should -Be $c.Id.Substring(0, 12)
        $c.Name | Should -Be 'created-1'
        $c.Image | Should -Match '^busybox(:latest)?$'
        $c.ImageId | Should -Be (Get-Image busybox).Id
        $c.Command | Should -Be @('echo', 'hi')
        $c.Status | Should -Be 'Created'
        $c.ExitCode | Should -BeNullOrEmpty
        $c.StartedAt | Should -BeNullOrEmpty
        $c.Pid | Should -Be 0
        $c.Labels['tier'] | Should -Be 'web'
        $c.Labels['owner'] | Should -Be 'qa'
        $c.Memory | Should -Be 64MB
        $c.Hostname | Should -Be $c.Id.Substring(0, 12)
        ([DateTimeOffset]::UtcNow - $c.Created).TotalMinutes | Should -BeLessThan 1
        Test-Path (Join-Path $script:Root "containers/$($c.Id)") | Should -BeTrue
    }

    It 'generates a docker-style name when none is given' {
        $c = New-Container busybox true -ErrorAction Stop
        $c.Name | Should -Match '^[a-z]+_[a-z]+\d*$'
    }

    It 'uses the image CMD when no command is given' {
        (New-Container busybox -ErrorAction Stop).Command | Should -Be @('sh')
    }

    It 'takes the image from the pipeline' {
        $c = Get-Image busybox | New-Container -Command true -ErrorAction Stop
        $c.ImageId | Should -Be (Get-Image busybox).Id
    }

    It 'passes environment (hashtable and strings), working directory, user and hostname to the process' {
        $out = Invoke-Container busybox -Environment @{ ALPHA = 'one'; BETA = 'two words' } -WorkingDirectory /var/www -User www -Hostname box1 `
            -Command sh, -c, 'echo "$ALPHA|$BETA|$(pwd)|$(id -u):$(id -g)|$(hostname)"' -ErrorAction Stop
        $out | Should -Be 'one|two words|/var/www|1000:1000|box1'
        Invoke-Container busybox -Environment 'GAMMA=3', 'DELTA=x=y' -Command sh, -c, 'echo "$GAMMA $DELTA"' -ErrorAction Stop | Should -Be '3 x=y'
    }

    It 'creates nothing with -WhatIf' {
        $before = @(Get-Container -All).Count
        New-Container busybox -Name whatif-1 -WhatIf | Should -BeNullOrEmpty
        @(Get-Container -All).Count | Should -Be $before
        Get-Container -Name whatif-1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    Context 'bad input' {
        It 'reports <Case> as <ErrorId> (<Category>) and creates nothing' -ForEach @(
            @{ Case = 'an unknown image'; ErrorId = 'ImageNotFound'; Category = 'ObjectNotFound'; Params = @{ Image = 'nosuchimage:9' } }
            @{ Case = 'a name with a space'; ErrorId = 'InvalidContainerName'; Category = 'InvalidArgument'; Params = @{ Image = 'busybox'; Name = 'bad name' } }
            @{ Case = 'a name starting with a dash'; ErrorId = 'InvalidContainerName'; Category = 'InvalidArgument'; Params = @{ Image = 'busybox'; Name = '-bad' } }
            @{ Case = 'a name with a slash'; ErrorId = 'InvalidContainerName'; Category = 'InvalidArgument'; Params = @{ Image = 'busybox'; Name = 'a/b' } }
            @{ Case = 'a negative memory limit'; ErrorId = 'InvalidMemory'; Category = 'InvalidArgument'; Params = @{ Image = 'busybox'; Memory = -1MB } }
            @{ Case = 'a memory limit under 6MB'; ErrorId = 'InvalidMemory'; Category = 'InvalidArgument'; Params = @{ Image = 'busybox'; Memory = 1MB } }
            @{ Case = 'a relative working directory'; ErrorId = 'InvalidWorkingDirectory'; Category = 'InvalidArgument'; Params = @{ Image = 'busybox'; WorkingDirectory = 'rel/dir' } }
            @{ Case = 'an unknown stop signal'; ErrorId = 'InvalidSignal'; Category = 'InvalidArgument'; Params = @{ Image = 'busybox'; StopSignal = 'SIGNOPE' } }
        ) {
            $before = @(Get-Container -All).Count
            $c = New-Container @Params -ErrorVariable err -ErrorAction SilentlyContinue
            $c | Should -BeNullOrEmpty
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $err[0].CategoryInfo.Category | Should -Be $Category
            @(Get-Container -All).Count | Should -Be $before
        }

        It 'reports a duplicate name as ContainerNameInUse (ResourceExists)' {
            $first = New-Container busybox -Name dup-1 -ErrorAction Stop
            $c = New-Container busybox -Name dup-1 -ErrorVariable err -ErrorAction SilentlyContinue
            $c | Should -BeNullOrEmpty
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'ContainerNameInUse,*'
            $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
            @(Get-Container -All -Name dup-1).Id | Should -Be $first.Id
        }

        It 'goes on with the rest of the pipeline after a bad image' {
            $made = 'nosuchimage:1', 'busybox', 'nosuchimage:2', 'busybox' | New-Container -Command true -ErrorVariable err -ErrorAction SilentlyContinue
            $made | Should -HaveCount 2
            $err | Should -HaveCount 2
            $err | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'ImageNotFound,*' }
            $made | Remove-Container
        }

        It 'reports an unknown container as ContainerNotFound and goes on with the other names' {
            $a = New-Container busybox -Name nf-a -Command sleep, 30 -ErrorAction Stop
            $b = New-Container busybox -Name nf-b -Command sleep, 30 -ErrorAction Stop
            Start-Container -Name nf-a, nosuch-container, nf-b -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'ContainerNotFound,*'
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            (Get-Container nf-a).Status | Should -Be 'Running'
            (Get-Container nf-b).Status | Should -Be 'Running'
            $a, [pscustomobject]@{ Id = 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff' }, $b |
                Remove-Container -Force -ErrorVariable err2 -ErrorAction SilentlyContinue
            $err2 | Should -HaveCount 1
            $err2[0].FullyQualifiedErrorId | Should -BeLike 'ContainerNotFound,*'
            Get-Container nf-a, nf-b -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
    }
}

Describe 'State transitions' {
    BeforeAll {
        $script:C = New-Container busybox -Name life-1 -Command $script:Trapping -ErrorAction Stop
    }

    It 'Created → Running with Start-Container' {
        Start-Container life-1 -ErrorAction Stop | Should -BeNullOrEmpty
        $c = Get-Container life-1
        $c.Status | Should -Be 'Running'
        $c.Pid | Should -BeGreaterThan 0
        Test-Path "/proc/$($c.Pid)" | Should -BeTrue
        $c.StartedAt | Should -Not -BeNullOrEmpty
        ([DateTimeOffset]::UtcNow - $c.StartedAt).TotalSeconds | Should -BeLessThan 30
        $c.StatusText | Should -Match '^Up '
        @(Get-RootfsMount $c.Id).Count | Should -BeGreaterThan 0
        (Get-Container).Name | Should -Contain 'life-1'
    }

    It 'starting a running container again changes nothing' {
        $pidBefore = (Get-Container life-1).Pid
        Start-Container life-1 -ErrorAction Stop
        (Get-Container life-1).Pid | Should -Be $pidBefore
    }

    It 'Running → Paused with Suspend-Container, and the cgroup is frozen' {
        $c = Suspend-Container life-1 -PassThru -ErrorAction Stop
        $c.Status | Should -Be 'Paused'
        Get-FreezerState $c.Id | Should -Be 'FROZEN'
        (Get-Container).Name | Should -Contain 'life-1'
        (Get-Container -Status Paused).Name | Should -Be 'life-1'
    }

    It 'Paused → Running with Resume-Container' {
        $c = Resume-Container life-1 -PassThru -ErrorAction Stop
        $c.Status | Should -Be 'Running'
        Get-FreezerState $c.Id | Should -Be 'THAWED'
    }

    It 'resuming a running container is ContainerNotPaused (InvalidOperation)' {
        Resume-Container life-1 -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ContainerNotPaused,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
    }

    It 'refuses to remove a running container without -Force (ContainerRunning, InvalidOperation)' {
        Remove-Container life-1 -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ContainerRunning,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        (Get-Container life-1).Status | Should -Be 'Running'
    }

    It 'Running → Exited with Stop-Container: the stop signal, the exit code, FinishedAt, mount released' {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $c = Stop-Container life-1 -Timeout 20 -PassThru -ErrorAction Stop
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 10
        $c.Status | Should -Be 'Exited'
        $c.ExitCode | Should -Be 3
        $c.Pid | Should -Be 0
        $c.FinishedAt | Should -BeGreaterThan $c.StartedAt
        $c.StatusText | Should -Match '^Exited \(3\) '
        Get-RootfsMount $c.Id | Should -BeNullOrEmpty
        (Get-Container).Name | Should -Not -Contain 'life-1'
        (Get-Container -All).Name | Should -Contain 'life-1'
        (Get-Container -Status Exited).Name | Should -Contain 'life-1'
    }

    It 'Exited → Running again with Start-Container' {
        $before = Get-Container life-1
        Start-Container life-1 -ErrorAction Stop
        $after = Get-Container life-1
        $after.Status | Should -Be 'Running'
        $after.StartedAt | Should -BeGreaterThan $before.FinishedAt
    }

    It 'Restart-Container stops and starts: new pid, new StartedAt; RestartCount counts only policy restarts' {
        $before = Get-Container life-1
        $after = Restart-Container life-1 -Timeout 20 -PassThru -ErrorAction Stop
        $after.Status | Should -Be 'Running'
        $after.Pid | Should -Not -Be $before.Pid
        $after.StartedAt | Should -BeGreaterThan $before.StartedAt
        # As docker restart: RestartCount counts the restarts of the restart policy, not the user's.
        $after.RestartCount | Should -Be $before.RestartCount
    }

    It 'SIGKILLs a container that ignores the stop signal after -Timeout (exit 137)' {
        $null = New-Container busybox -Name stubborn -Command sleep, 300 -ErrorAction Stop | Start-Container -PassThru
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $c = Stop-Container stubborn -Timeout 1 -PassThru -ErrorAction Stop
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 15
        $c.Status | Should -Be 'Exited'
        $c.ExitCode | Should -Be 137
    }

    It 'Stop-Container stops a paused container' {
        $c = New-Container busybox -Name paused-stop -Command $script:Trapping -ErrorAction Stop | Start-Container -PassThru
        Suspend-Container paused-stop -ErrorAction Stop
        $done = Stop-Container paused-stop -Timeout 10 -PassThru -ErrorAction Stop
        $done.Status | Should -Be 'Exited'
        $done.ExitCode | Should -Be 3
        Get-RootfsMount $c.Id | Should -BeNullOrEmpty
        Remove-Container paused-stop -ErrorAction Stop
    }

    It 'removes a paused container with -Force' {
        $c = New-Container busybox -Name paused-rm -Command sleep, 300 -ErrorAction Stop | Start-Container -PassThru
        Suspend-Container paused-rm -ErrorAction Stop
        Remove-Container paused-rm -Force -ErrorAction Stop
        Get-Container -All -Name paused-rm -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Test-Path (Join-Path $script:Root "containers/$($c.Id)") | Should -BeFalse
        Get-RootfsMount $c.Id | Should -BeNullOrEmpty
        Test-Path "/proc/$($c.Pid)" | Should -BeFalse
    }

    It 'Remove-Container -Force removes a running container, its directory and its mount' {
        $c = Get-Container life-1
        Remove-Container life-1 -Force -ErrorAction Stop
        Get-Container -All -Name life-1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Test-Path (Join-Path $script:Root "containers/$($c.Id)") | Should -BeFalse
        Get-RootfsMount $c.Id | Should -BeNullOrEmpty
        Wait-Condition { -not (Test-Path "/proc/$($c.Pid)") } -TimeoutSeconds 10 -Message 'the container process to go'
        Get-ContainerCgroup -Id $c.Id | Should -BeNullOrEmpty
    }

    It 'Rename-Container renames' {
        $null = New-Container busybox -Name old-name -ErrorAction Stop
        (Rename-Container old-name new-name -PassThru -ErrorAction Stop).Name | Should -Be 'new-name'
        Get-Container -Name new-name | Should -Not -BeNullOrEmpty
        Get-Container -Name old-name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Get-Container' {
    BeforeAll {
        $script:Running = New-Container busybox -Name gc-run -Label role=api -Command sleep, 300 -ErrorAction Stop | Start-Container -PassThru
        $script:Created = New-Container busybox -Name gc-new -Label role=db -ErrorAction Stop
    }
    AfterAll {
        Remove-Container gc-run, gc-new -Force -ErrorAction SilentlyContinue
    }

    It 'lists only running and paused containers by default' {
        $names = (Get-Container).Name
        $names | Should -Contain 'gc-run'
        $names | Should -Not -Contain 'gc-new'
        (Get-Container -All).Name | Should -Contain 'gc-new'
    }

    It 'finds named containers in any state, with wildcards' {
        (Get-Container gc-new).Status | Should -Be 'Created'
        (Get-Container 'gc-*').Name | Sort-Object | Should -Be @('gc-new', 'gc-run')
    }

    It 'filters by -Status and -Label' {
        (Get-Container -Status Created).Name | Should -Contain 'gc-new'
        (Get-Container -Status Created).Name | Should -Not -Contain 'gc-run'
        (Get-Container -All -Label role=db).Name | Should -Be 'gc-new'
        (Get-Container -All -Label role).Name | Sort-Object | Should -Be @('gc-new', 'gc-run')
    }

    It 'finds containers by full id and by id prefix' {
        (Get-Container -Id $script:Running.Id).Name | Should -Be 'gc-run'
        (Get-Container $script:Running.Id.Substring(0, 12)).Name | Should -Be 'gc-run'
    }

    It 'formats as a docker-ps table, the columns that matter at 80 columns first' {
        $text = Get-Container gc-run | Format-Table | Out-String -Width 200
        $lines = $text -split "`n" | Where-Object { $_.Trim() }
        $lines[0] | Should -Match '^CONTAINER ID\s+NAMES\s+STATUS\s+PORTS\s+IMAGE\s+CREATED\s+COMMAND\s*$'
        $lines | Where-Object { $_ -match "^$($script:Running.ShortId)\s+gc-run\s+Up .*busybox.*""sleep 300""\s*$" } | Should -HaveCount 1
    }
}

Describe 'Pipeline binding' {
    It 'binds ContainerInfo by value: New-Container | Start-Container' {
        $c = New-Container busybox -Name pipe-value -Command sleep, 300 -ErrorAction Stop
        $c | Start-Container -ErrorAction Stop
        (Get-Container pipe-value).Status | Should -Be 'Running'
        $c | Remove-Container -Force -ErrorAction Stop
        Get-Container -All -Name pipe-value -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'binds any object with an Id property by property name' {
        $c = New-Container busybox -Name pipe-id -Command sleep, 300 -ErrorAction Stop
        [pscustomobject]@{ Id = $c.Id } | Start-Container -ErrorAction Stop
        (Get-Container pipe-id).Status | Should -Be 'Running'
        [pscustomobject]@{ Id = $c.Id } | Stop-Container -Timeout 1 -ErrorAction Stop
        (Get-Container pipe-id).Status | Should -Be 'Exited'
        ([pscustomobject]@{ Id = $c.Id } | Get-Container).Name | Should -Be 'pipe-id'
        [pscustomobject]@{ Id = $c.Id } | Remove-Container -ErrorAction Stop
        Get-Container -All -Name pipe-id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'acts on every container piped from Get-Container' {
        1..3 | ForEach-Object { New-Container busybox -Name "pipe-many-$_" -Label batch=many -Command sleep, 300 -ErrorAction Stop } | Start-Container
        (Get-Container -Label batch=many).Count | Should -Be 3
        Get-Container -Label batch=many | Stop-Container -Timeout 1
        @(Get-Container -Label batch=many).Count | Should -Be 0
        (Get-Container -All -Label batch=many | Where-Object Status -EQ 'Exited').Count | Should -Be 3
        Get-Container -All -Label batch=many | Remove-Container
        @(Get-Container -All -Label batch=many).Count | Should -Be 0
    }

    It 'changes nothing with -WhatIf on Start, Stop and Remove' {
        $c = New-Container busybox -Name whatif-life -Command sleep, 300 -ErrorAction Stop
        $c | Start-Container -WhatIf
        (Get-Container whatif-life).Status | Should -Be 'Created'
        $c | Start-Container
        $c | Stop-Container -WhatIf
        (Get-Container whatif-life).Status | Should -Be 'Running'
        $c | Remove-Container -Force -WhatIf
        (Get-Container whatif-life).Status | Should -Be 'Running'
        $c | Remove-Container -Force
    }
}

Describe 'Wait-Container' {
    It 'writes the exit code <Code>' -ForEach @(@{ Code = 0 }, @{ Code = 3 }, @{ Code = 255 }) {
        $c = New-Container busybox -Command sh, -c, "sleep 0.3; exit $Code" -ErrorAction Stop | Start-Container -PassThru
        $result = Wait-Container -Id $c.Id -ErrorAction Stop
        $result | Should -Be $Code
        $result | Should -BeOfType ([int])
        $after = Get-Container -Id $c.Id
        $after.Status | Should -Be 'Exited'
        $after.ExitCode | Should -Be $Code
    }

    It 'writes one exit code per piped container, in order' {
        $a = New-Container busybox -Command sh, -c, 'sleep 1; exit 4' -ErrorAction Stop | Start-Container -PassThru
        $b = New-Container busybox -Command sh, -c, 'exit 9' -ErrorAction Stop | Start-Container -PassThru
        $a, $b | Wait-Container -ErrorAction Stop | Should -Be @(4, 9)
    }

    It 'returns at once for an exited container' {
        $c = New-Container busybox -Command sh, -c, 'exit 6' -ErrorAction Stop | Start-Container -Wait -PassThru
        $c.ExitCode | Should -Be 6
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $c | Wait-Container | Should -Be 6
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 5
    }

    It 'reports a command that is not in the image as an error and a non-zero exit' {
        $c = New-Container busybox -Name no-such-cmd -Command /no/such/binary -ErrorAction Stop
        $started = $c | Start-Container -Wait -PassThru -ErrorVariable err -ErrorAction SilentlyContinue
        $after = Get-Container -Id $c.Id
        # Either the start fails with an error, or the process exits non-zero (Docker: 127).
        ($err.Count -gt 0 -or $after.ExitCode -ne 0) | Should -BeTrue
        $after.Status | Should -Not -Be 'Running'
    }
}

Describe '-AutoRemove' {
    It 'removes the container once it has exited, without anyone waiting' {
        $c = New-Container busybox -AutoRemove -Command sh, -c, 'exit 0' -ErrorAction Stop
        $c.AutoRemove | Should -BeTrue
        $c | Start-Container -ErrorAction Stop
        Wait-Condition { -not (Get-Container -All | Where-Object Id -EQ $c.Id) } -TimeoutSeconds 20 -Message 'the -AutoRemove container to go'
        Test-Path (Join-Path $script:Root "containers/$($c.Id)") | Should -BeFalse
        Get-RootfsMount $c.Id | Should -BeNullOrEmpty
    }

    It 'Wait-Container still reports the exit code of an -AutoRemove container' {
        $c = New-Container busybox -AutoRemove -Command sh, -c, 'sleep 1; exit 5' -ErrorAction Stop | Start-Container -PassThru
        $c | Wait-Container -ErrorAction Stop | Should -Be 5
        Get-Container -All | Where-Object Id -EQ $c.Id | Should -BeNullOrEmpty
    }

    It 'Stop-Container on an -AutoRemove container removes it' {
        $c = New-Container busybox -AutoRemove -Command sleep, 300 -ErrorAction Stop | Start-Container -PassThru
        $c | Stop-Container -Timeout 1 -ErrorAction Stop
        Wait-Condition { -not (Get-Container -All | Where-Object Id -EQ $c.Id) } -TimeoutSeconds 20 -Message 'the -AutoRemove container to go'
        Get-RootfsMount $c.Id | Should -BeNullOrEmpty
    }
}

Describe 'Invoke-Container' {
    It 'writes stdout to the pipeline, sets $LASTEXITCODE 0 and removes the container' {
        $before = @(Get-Container -All).Count
        $global:LASTEXITCODE = 99
        $out = Invoke-Container busybox sh, -c, 'echo one; echo two' -ErrorAction Stop
        $out | Should -Be @('one', 'two')
        $LASTEXITCODE | Should -Be 0
        @(Get-Container -All).Count | Should -Be $before
    }

    It 'reports a non-zero exit as ContainerCommandFailed and sets $LASTEXITCODE' {
        $before = @(Get-Container -All).Count
        $out = Invoke-Container busybox sh, -c, 'echo partial; exit 7' -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -Be 'partial'
        $LASTEXITCODE | Should -Be 7
        $failures = @($err | Where-Object FullyQualifiedErrorId -Like 'ContainerCommandFailed,*')
        $failures | Should -HaveCount 1
        $failures[0].Exception.Message | Should -Match '\b7\b'
        @(Get-Container -All).Count | Should -Be $before
    }

    It 'keeps the container with -Keep' {
        $null = Invoke-Container busybox -Name kept -Keep true -ErrorAction Stop
        $c = Get-Container kept
        $c.Status | Should -Be 'Exited'
        $c.ExitCode | Should -Be 0
        Remove-Container kept
    }
}

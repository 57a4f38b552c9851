#Requires -Version 7.6
# Provisioning with Pester: Use-Container's lifecycle on every exit path (an exception, -ErrorAction Stop,
# break, Ctrl+C in a real terminal driven by tmux, a killed pwsh and the next listing), its wait conditions,
# Get-ContainerProcess -Listening, the Should operators with their failure messages, and the worked example
# in examples/.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    if (-not (Get-Command tmux -ErrorAction Ignore)) { throw 'tmux is not installed (apt-get install tmux); the Ctrl+C test needs it.' }
    $script:Root = Initialize-TestStore
    $script:Pwsh = Get-PwshPath

    function Get-FailureMessage([scriptblock] $Assertion) {
        ($Assertion | Should -Throw -PassThru).Exception.Message
    }
    function Test-ContainerRecord([string] $Id) {
        # Whether the store still holds the container, read without asking the engine (which would reconcile).
        Test-Path -LiteralPath (Join-Path $script:Root "containers/$Id")
    }
}

AfterAll {
    Remove-TestStore -Root $script:Root
}

Describe 'Use-Container' {
    AfterEach {
        # Every test leaves nothing behind; the -KeepOnFailure test removes what it kept itself.
        @(Get-Container -All) | Should -BeNullOrEmpty
    }

    It 'runs the block with the ready container, writes its output, and removes it with its anonymous volumes' {
        $outside = 'from the caller'
        $out = Use-Container busybox -Command sleep, 600 -Volume /data -Label purpose=test {
            param($c)
            $c.GetType().Name
            "$($c.Status)"
            $c.Labels['purpose']
            $outside
            Invoke-ContainerCommand $c.Name -- sh -c 'echo kept > /data/file; cat /data/file'
        }
        $out | Should -Be @('ContainerInfo', 'Running', 'test', 'from the caller', 'kept')
        @(Get-Volume) | Should -BeNullOrEmpty
    }

    It 'passes the block''s non-terminating errors through and goes on' {
        $out = Use-Container busybox -Command sleep, 600 { Write-Error 'soft failure'; 'after' } 2>&1
        $out[0] | Should -BeOfType System.Management.Automation.ErrorRecord
        "$($out[0])" | Should -Be 'soft failure'
        $out[1] | Should -Be 'after'
    }

    It 'lets an exception reach the caller unchanged and removes the container' {
        $boom = [InvalidOperationException]::new('boom')
        $caught = $null
        try { Use-Container busybox -Command sleep, 600 { throw $boom } } catch { $caught = $_ }
        [object]::ReferenceEquals($caught.Exception, $boom) | Should -BeTrue
    }

    It 'fails a Should inside the block as Pester reports it' {
        $message = Get-FailureMessage { Use-Container busybox -Command sleep, 600 { param($c) $c.Name | Should -Be 'another name' } }
        $message | Should -Match "Expected strings to be the same"
    }

    It 'stops at an error of the block with -ErrorAction Stop and removes the container' {
        $reached = $false
        { Use-Container busybox -Command sleep, 600 -ErrorAction Stop { Write-Error 'hard failure'; $reached = $true } } |
            Should -Throw -ExpectedMessage 'hard failure'
        $reached | Should -BeFalse
    }

    It 'removes the container when the block breaks out of the caller''s loop' {
        $iterations = foreach ($i in 1..3) {
            Use-Container busybox -Command sleep, 600 { $i; break }
        }
        $iterations | Should -Be 1
    }

    It 'keeps a failed container with -KeepOnFailure, says how to reach it, and the next listing leaves it' {
        $caught = $null
        try { Use-Container busybox -Name kept -Command sleep, 600 -KeepOnFailure -WarningVariable warnings { throw 'provisioning failed' } 3>$null }
        catch { $caught = $_ }
        "$caught" | Should -Be 'provisioning failed'
        "$warnings" | Should -Match 'Kept container kept .*Invoke-ContainerCommand kept -- sh.*Remove-Container kept -Force'
        (Get-Container kept).Status | Should -Be 'Running'
        Remove-Container kept -Force
    }

    It 'creates nothing with -WhatIf' {
        Use-Container busybox -Command sleep, 600 -WhatIf { 'not run' } | Should -BeNullOrEmpty
    }

    Context 'Wait conditions' {
        It 'waits until a port listens, a log line matches, or a command succeeds' {
            Use-Container busybox -Command sh, -c, 'sleep 1; exec httpd -f -p 8080' -WaitFor Port, 8080 {
                param($c)
                (Get-ContainerProcess -Id $c.Id -Listening).Port | Should -Contain 8080
            }
            Use-Container busybox -Command sh, -c, 'sleep 1; echo "service ready on 8080"; sleep 600' -WaitFor @{ Log = 'ready on \d+' } {
                param($c)
                (Get-ContainerLog $c.Name) -join "`n" | Should -Match 'service ready'
            }
            Use-Container busybox -Command sh, -c, 'sleep 1; touch /ready; sleep 600' -WaitFor Command, test, -f, /ready {
                param($c)
                $c | Should -ContainFile /ready
            }
        }

        It 'stops with what it found, and the last log lines, when the wait times out' {
            $ran = $false
            $err = { Use-Container busybox -Command sh, -c, 'echo starting up; sleep 600' -WaitFor Port, 81 -WaitTimeout 1s { $ran = $true } } |
                Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'WaitTimeout,*'
            $err.CategoryInfo.Category | Should -Be 'OperationTimeout'
            $err.Exception.Message | Should -Match 'not ready within 1s: waited until port 81 listens; nothing listens on TCP\. Its last log lines:\s+starting up'
            $ran | Should -BeFalse
        }

        It 'stops when the container exits before it is ready' {
            $err = { Use-Container busybox -Command sh, -c, 'echo giving up; exit 3' -WaitFor Log, 'never' { 'not run' } } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'ContainerExited,*'
            $err.Exception.Message | Should -Match "exited with code 3 before a log line matches 'never'"
        }

        It 'reports the last attempt of a readiness command that never succeeds' {
            $err = { Use-Container busybox -Command sleep, 600 -WaitFor Command, sh, -c, 'echo not yet >&2; exit 1' -WaitTimeout 1 { 'not run' } } | Should -Throw -PassThru
            $err.Exception.Message | Should -Match "the last attempt exited with code 1 \(not yet\)"
        }

        It 'refuses a condition it does not know, naming the forms it takes' {
            { Use-Container busybox -WaitFor Ready { } } | Should -Throw -ExpectedMessage '*Cannot wait for Ready: use Running, Healthy, Port, <n>, Log, <regex> or Command*'
            { Use-Container busybox -WaitFor Port, http { } } | Should -Throw -ExpectedMessage "*'http' is not a port number*"
            { Use-Container busybox -WaitFor Log, '(' { } } | Should -Throw -ExpectedMessage "*'(' is not a valid regular expression*"
        }
    }

    Context 'Pester blocks' {
        BeforeAll {
            $script:FromBeforeAll = Use-Container busybox -Command sleep, 600 { param($c) Invoke-ContainerCommand $c.Name -- hostname }
        }
        AfterAll {
            $fromAfterAll = Use-Container busybox -Command sleep, 600 -Hostname afterall { param($c) Invoke-ContainerCommand $c.Name -- hostname }
            if ($fromAfterAll -ne 'afterall') { throw "Use-Container in AfterAll wrote '$fromAfterAll'." }
        }

        It 'works in BeforeAll' {
            $script:FromBeforeAll | Should -Match '^[0-9a-f]{12}$'
        }
    }
}

Describe 'Use-Container cleanup when the session ends' {
    It 'removes the container when Ctrl+C stops the block in a terminal' {
        $socket = 'psc-prov-' + [guid]::NewGuid().ToString('N').Substring(0, 12)
        $marker = Join-Path $script:Root 'ctrlc-started'
        $after = Join-Path $script:Root 'ctrlc-after'
        $init = Join-Path $script:Root 'ctrlc-init.ps1'
        Set-Content -LiteralPath $init -Value @"
`$env:PSCONTAINER_ROOT = '$script:Root'
Import-Module '$env:PSCONTAINER_MODULE' -ErrorAction Stop
function global:prompt { 'PS> ' }
if (Get-Module PSReadLine) { Set-PSReadLineOption -PredictionSource None -HistorySaveStyle SaveNothing }
"@
        & tmux -L $socket new-session -d -s term -x 150 -y 40 "'$script:Pwsh' -NoProfile -NoLogo -NoExit -File '$init'"
        try {
            function Get-Pane { (& tmux -L $socket capture-pane -p -J -S -200 -t term) -join "`n" }
            Wait-Condition { (Get-Pane) -match '(?m)^PS>\s*$' } -TimeoutSeconds 90 -Message 'the pwsh prompt'
            $line = "Use-Container busybox -Command sleep, 600 { param(`$c) Set-Content '$marker' `"`$(`$c.Id) `$PID`"; Start-Sleep 600; Set-Content '$after' done }; 'NEXT COMMAND'"
            & tmux -L $socket send-keys -t term -l $line
            & tmux -L $socket send-keys -t term Enter
            Wait-Condition { "$(Get-Content -LiteralPath $marker -ErrorAction Ignore)" -match '^[0-9a-f]{64} \d+$' } -TimeoutSeconds 60 -Message 'the block to start'
            $id, $sessionPid = (Get-Content -LiteralPath $marker) -split ' '
            (Get-Container -Id $id).Status | Should -Be 'Running'

            & tmux -L $socket send-keys -t term C-c
            # The prompt comes back once Use-Container has cleaned up; the statement after it did not run.
            Wait-Condition { (Get-Pane) -match '(?m)^PS>\s*$' -and -not (Test-ContainerRecord $id) } -TimeoutSeconds 60 -Message 'the container to go after Ctrl+C'
            Test-Path -LiteralPath $after | Should -BeFalse
            Get-Pane | Should -Not -Match '(?m)^NEXT COMMAND'
            # The session lives on: it was the finally block, not a later reconciliation, that removed it.
            Test-Path "/proc/$sessionPid" | Should -BeTrue
            @(Get-Container -All) | Should -BeNullOrEmpty
        } finally {
            & tmux -L $socket kill-server 2>$null
        }
    }

    It 'leaves a killed session''s container to the next listing, which removes it' {
        $marker = Join-Path $script:Root 'killed-started'
        $child = Start-ChildPwsh -Script "Use-Container busybox -Command sleep, 600 -Volume /data { param(`$c) Set-Content '$marker' `"`$(`$c.Id) `$(`$c.Pid)`"; Start-Sleep 600 }"
        try {
            Wait-Condition { "$(Get-Content -LiteralPath $marker -ErrorAction Ignore)" -match '^[0-9a-f]{64} \d+$' } -TimeoutSeconds 60 -Message 'the block to start'
        } finally {
            & kill -9 $child.Id
            $child.WaitForExit()
            Remove-Item -LiteralPath $child.StdoutFile, $child.StderrFile -ErrorAction Ignore
        }
        $id, $containerPid = (Get-Content -LiteralPath $marker) -split ' '
        # Nobody cleaned up: the container still runs.
        Test-ContainerRecord $id | Should -BeTrue
        Test-Path "/proc/$containerPid" | Should -BeTrue

        @(Get-Container -All) | Should -BeNullOrEmpty
        Test-ContainerRecord $id | Should -BeFalse
        Test-Path "/proc/$containerPid" | Should -BeFalse
        @(Get-Volume) | Should -BeNullOrEmpty
    }
}

Describe 'Get-ContainerProcess -Listening' {
    It 'lists the sockets listening inside the container with the process holding each' {
        Use-Container busybox -Command httpd, -f, -p, 8080 -WaitFor Port, 8080 {
            param($c)
            $socket = Get-ContainerProcess -Id $c.Id -Listening | Where-Object Port -eq 8080
            $socket.Protocol | Should -Be 'tcp'
            $socket.ProcessName | Should -Be 'httpd'
            $socket.Pid | Should -Be $c.Pid
            $socket.Container | Should -Be $c.Name
            Get-ContainerProcess $c.Name -Listening | Out-String | Should -Match 'tcp\s+\S+\s+8080\s+\d+\s+httpd'
        }
    }
}

Describe 'Should operators for containers' {
    BeforeAll {
        $script:Web = New-Container busybox -Name asserted -Command httpd, -f, -p, 8080 | Start-Container -PassThru
        Wait-Container -Id $script:Web.Id -Port 8080 -Timeout 30 | Out-Null
        $script:Done = New-Container busybox -Name finished -Command sh, -c, 'echo partial >&2; exit 3' | Start-Container -PassThru
        Wait-Container -Id $script:Done.Id | Out-Null
    }
    AfterAll {
        Remove-Container asserted, finished -Force
    }

    It 'Should -BeRunning passes for a running container and says the state of another' {
        $script:Web | Should -BeRunning
        'asserted' | Should -BeRunning
        $script:Done | Should -Not -BeRunning
        Get-FailureMessage { $script:Done | Should -BeRunning -Because 'the service must be up' } |
            Should -Be 'Expected container finished to be running, because the service must be up, but it is exited with exit code 3.'
        Get-FailureMessage { $script:Web | Should -Not -BeRunning } | Should -Be 'Expected container asserted not to be running, but it is running.'
    }

    It 'Should -BeHealthy says when a container has no healthcheck' {
        Get-FailureMessage { $script:Web | Should -BeHealthy } | Should -Be 'Expected container asserted to be healthy, but it has no healthcheck.'
    }

    It 'Should -HaveExitCode checks command results, exited containers and numbers, showing what the command wrote' {
        Invoke-ContainerCommand asserted -PassThru -- true | Should -HaveExitCode 0
        $result = Invoke-ContainerCommand asserted -PassThru -- sh -c 'echo nope >&2; exit 2' 2>$null
        $result | Should -HaveExitCode 2
        $result | Should -Not -HaveExitCode 0
        Get-FailureMessage { $result | Should -HaveExitCode 0 } |
            Should -Be "Expected 'sh -c echo nope >&2; exit 2' in container asserted to exit with code 0, but it exited with code 2. Its output began:`n  nope"
        $script:Done | Should -HaveExitCode 3
        Get-FailureMessage { $script:Web | Should -HaveExitCode 0 } | Should -Be 'Expected container asserted to exit with code 0, but it has not exited. It is running.'
        $run = Invoke-Container busybox -PassThru -Command sh, -c, 'echo done; echo failed >&2; exit 4' 2>$null
        $run | Should -HaveExitCode 4
        $run.Output | Should -Be 'done'
        $run.Error | Should -Be 'failed'
        7 | Should -HaveExitCode 7
        Get-FailureMessage { 'not a result' | Should -HaveExitCode 0 } | Should -Match "No single container is named 'not a result'"
    }

    It 'Should -ContainFile finds files and content, also in a stopped container, and shows the first lines' {
        $script:Web | Should -ContainFile /etc/passwd
        $script:Web | Should -ContainFile /etc/passwd -WithContent '^www:x:1000:'
        $script:Done | Should -ContainFile /etc/group -WithContent 'staff'
        $script:Web | Should -Not -ContainFile /etc/shadow
        $script:Web | Should -ContainFile /etc/passwd -Not -WithContent '^mysql:'
        Get-FailureMessage { $script:Web | Should -ContainFile /etc/shadow } | Should -Be 'Expected container asserted to contain file /etc/shadow, but it does not exist.'
        Get-FailureMessage { $script:Web | Should -ContainFile /etc/group -WithContent '^wheel:' } |
            Should -Be "Expected file /etc/group in container asserted to have a line matching '^wheel:', but its first lines are:`n  root:x:0:`n  nogroup:x:65534:`n  www:x:1000:`n  staff:x:50:www"
        Get-FailureMessage { $script:Web | Should -ContainFile /etc } | Should -Be 'Expected container asserted to contain file /etc, but it is a directory.'
    }

    It 'Should -ListenOn checks ports inside the container and lists those that listen' {
        $script:Web | Should -ListenOn 8080
        $script:Web | Should -Not -ListenOn 80
        Get-FailureMessage { $script:Web | Should -ListenOn 80 } | Should -Be 'Expected container asserted to listen on TCP port 80, but it listens on 8080/tcp (httpd).'
        Get-FailureMessage { $script:Done | Should -ListenOn 80 } | Should -Be 'Expected container finished to listen on port 80, but it is exited with exit code 3.'
    }

    It 'Should -RunProcess finds a process by name or wildcard and lists the processes otherwise' {
        $script:Web | Should -RunProcess httpd
        $script:Web | Should -RunProcess 'http*'
        $script:Web | Should -Not -RunProcess nginx
        Get-FailureMessage { $script:Web | Should -RunProcess nginx } | Should -Be "Expected container asserted to run process 'nginx', but its processes are: httpd -f -p 8080 (pid 1)."
    }
}

Describe 'The worked example' {
    It 'registers the operators only where Pester is loaded, and runs examples/Provision-WebServer.Tests.ps1 to success' {
        $example = Join-Path $PSScriptRoot '../../examples/Provision-WebServer.Tests.ps1' | Resolve-Path
        $pester = (Get-Module Pester).Path
        # A fresh pwsh that has PSContainer before Pester: importing it again after Pester registers the
        # operators (importing it twice is harmless), and the example then passes as a user would run it.
        $script = @"
Import-Module '$env:PSCONTAINER_MODULE' -ErrorAction Stop
'without Pester: ' + [bool] (Get-Command Add-ShouldOperator -ErrorAction Ignore)
Import-Module '$pester'
'before: ' + [bool] (Get-ShouldOperator | Where-Object Name -eq ListenOn)
Import-Module '$env:PSCONTAINER_MODULE' -Force -ErrorAction Stop
Import-Module '$env:PSCONTAINER_MODULE' -Force -ErrorAction Stop
'after: ' + (((Get-ShouldOperator | Where-Object Name -in BeRunning, BeHealthy, HaveExitCode, ContainFile, ListenOn, RunProcess).Name | Sort-Object) -join ',')
`$r = Invoke-Pester -Path '$example' -PassThru -Output Detailed
"EXAMPLE `$(`$r.PassedCount) `$(`$r.FailedCount + `$r.FailedBlocksCount + `$r.FailedContainersCount)"
"@
        $out = & $script:Pwsh -NoProfile -NonInteractive -Command $script 2>&1 | ForEach-Object { "$_" }
        $because = $out -join "`n"
        $out | Select-Object -First 3 | Should -Be @('without Pester: False', 'before: False', 'after: BeHealthy,BeRunning,ContainFile,HaveExitCode,ListenOn,RunProcess') -Because $because
        $out | Select-Object -Last 1 | Should -Be 'EXAMPLE 4 0' -Because $because
        @(Get-Container -All) | Should -BeNullOrEmpty
        @(Get-Image | Where-Object { $_.Name -like 'provisioned-web*' }) | Should -BeNullOrEmpty
    }
}

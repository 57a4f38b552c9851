#Requires -Version 7.6
# Container output: Get-ContainerLog (line objects; -Tail, -Since, -Timestamps, -Follow) and Start-Container -Attach.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Root = Initialize-TestStore

    # Runs a command to completion and returns its ContainerInfo.
    function Invoke-ToExit {
        param([Parameter(Mandatory)] [string] $Script, [string] $Name)
        $params = @{ Command = @('sh', '-c', $Script) }
        if ($Name) { $params.Name = $Name }
        New-Container busybox @params -ErrorAction Stop | Start-Container -Wait -PassThru -ErrorAction Stop
    }

    # Runs a script block in a thread of this process and fails if it does not finish in time.
    function Invoke-WithTimeout {
        param([Parameter(Mandatory)] [scriptblock] $ScriptBlock, [object[]] $ArgumentList = @(), [int] $TimeoutSeconds = 30)
        $job = Start-ThreadJob -ScriptBlock $ScriptBlock -ArgumentList $ArgumentList
        try {
            if (-not (Wait-Job $job -Timeout $TimeoutSeconds)) { throw "Did not finish within $TimeoutSeconds s." }
            Receive-Job $job -ErrorAction SilentlyContinue -ErrorVariable jobErrors
            foreach ($e in $jobErrors) { Write-Error -ErrorRecord $e -ErrorAction Continue }
        } finally {
            Stop-Job $job -ErrorAction Ignore
            Remove-Job $job -Force -ErrorAction Ignore
        }
    }

    $script:TimestampPattern = '^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)) (.*)$'
}

AfterAll {
    if ($script:Root) { Remove-TestStore -Root $script:Root }
}

Describe 'Get-ContainerLog' {
    BeforeAll {
        $script:Mixed = Invoke-ToExit -Name mixed -Script 'echo out1; sleep 0.3; echo err1 >&2; sleep 0.3; echo out2; sleep 0.3; echo err2 >&2'
        $script:Ten = Invoke-ToExit -Name ten -Script 'for i in 1 2 3 4 5 6 7 8 9 10; do echo line$i; done'
    }

    It 'writes every line, stdout and stderr, as an object and never as an error' {
        $out = Get-ContainerLog mixed -ErrorVariable err -ErrorAction Stop
        $out | ForEach-Object { $_.GetType().Name | Should -Be 'ContainerLogEntry' }
        $out.Text | Should -Be @('out1', 'err1', 'out2', 'err2')
        $err | Should -BeNullOrEmpty
        $out[0].Container | Should -Be 'mixed'
    }

    It 'keeps the order of stdout and stderr lines and names their streams' {
        Get-ContainerLog mixed | ForEach-Object { "$($_.Stream):$($_.Text)" } | Should -Be @('stdout:out1', 'stderr:err1', 'stdout:out2', 'stderr:err2')
    }

    It 'writes only the last lines with -Tail' {
        (Get-ContainerLog ten -Tail 3).Text | Should -Be @('line8', 'line9', 'line10')
        Get-ContainerLog ten -Tail 0 | Should -BeNullOrEmpty
        Get-ContainerLog ten -Tail 50 | Should -HaveCount 10
    }

    It 'prefixes RFC 3339 timestamps within the run with -Timestamps' {
        $lines = Get-ContainerLog ten -Timestamps | Out-String -Stream | Where-Object { $_ }
        $lines | Should -HaveCount 10
        foreach ($line in $lines) {
            $line -match $script:TimestampPattern | Should -BeTrue -Because "'$line' starts with a timestamp"
            $time = [DateTimeOffset]::Parse($Matches[1], [Globalization.CultureInfo]::InvariantCulture)
            $time | Should -BeGreaterOrEqual $script:Ten.StartedAt.AddSeconds(-2)
            $time | Should -BeLessOrEqual $script:Ten.FinishedAt.AddSeconds(2)
        }
        ($lines | ForEach-Object { ($_ -split ' ', 2)[1] }) | Should -Be (1..10 | ForEach-Object { "line$_" })
    }

    It 'writes only lines at or after -Since' {
        $c = Invoke-ToExit -Script 'echo early; sleep 2; echo late'
        $early = (Get-ContainerLog -Id $c.Id)[0].Time
        $cut = $early.AddSeconds(1)
        (Get-ContainerLog -Id $c.Id -Since $cut.UtcDateTime).Text | Should -Be 'late'
        (Get-ContainerLog -Id $c.Id -Since $cut.LocalDateTime).Text | Should -Be 'late'
        (Get-ContainerLog -Id $c.Id -Since $early.AddMinutes(-5).UtcDateTime).Text | Should -Be @('early', 'late')
        Get-ContainerLog -Id $c.Id -Since ([DateTime]::UtcNow.AddMinutes(5)) | Should -BeNullOrEmpty
    }

    It 'keeps empty lines and UTF-8 text' {
        $c = Invoke-ToExit -Script 'echo a; echo; echo "héllo ✓ 日本"; echo z'
        (Get-ContainerLog -Id $c.Id).Text | Should -Be @('a', '', 'héllo ✓ 日本', 'z')
    }

    It 'keeps a last line that has no newline' {
        $c = Invoke-ToExit -Script 'echo a; printf "no newline"'
        (Get-ContainerLog -Id $c.Id).Text | Should -Be @('a', 'no newline')
    }

    It 'writes a 20000-character line as one line' {
        $c = Invoke-ToExit -Script 'head -c 20000 /dev/zero | tr "\0" x; echo; echo after'
        $lines = (Get-ContainerLog -Id $c.Id).Text
        $lines | Should -HaveCount 2
        $lines[0].Length | Should -Be 20000
        $lines[0] | Should -Match '^x+$'
        $lines[1] | Should -Be 'after'
    }

    It 'writes nothing for a container that never ran' {
        $c = New-Container busybox -Command true -ErrorAction Stop
        Get-ContainerLog -Id $c.Id -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err | Should -BeNullOrEmpty
    }

    It 'keeps the output of earlier runs after a restart' {
        $c = Invoke-ToExit -Script 'echo run'
        $c | Start-Container -Wait -ErrorAction Stop
        (Get-ContainerLog -Id $c.Id).Text | Should -Be @('run', 'run')
    }

    It 'takes containers from the pipeline' {
        Get-Container ten | Get-ContainerLog -Tail 1 | Should -Be 'line10'
        [pscustomobject]@{ Id = $script:Ten.Id } | Get-ContainerLog -Tail 1 | Should -Be 'line10'
    }

    It 'reports an unknown container as ContainerNotFound' {
        Get-ContainerLog nosuch-container -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ContainerNotFound,*'
    }
}

Describe 'Get-ContainerLog -Follow' {
    It 'streams lines as they are written and ends when the container exits' {
        $c = New-Container busybox -Command sh, -c, 'echo one; sleep 2; echo two >&2; sleep 2; echo three' -ErrorAction Stop
        # The thread starts the container itself once the module is loaded, then follows at once.
        $arrivals = Invoke-WithTimeout -TimeoutSeconds 40 -ArgumentList $env:PSCONTAINER_MODULE, $c.Id -ScriptBlock {
            param($module, $id)
            Import-Module $module
            Start-Container -Id $id -ErrorAction Stop
            $sw = [Diagnostics.Stopwatch]::StartNew()
            Get-ContainerLog -Id $id -Follow | ForEach-Object {
                [pscustomobject]@{ Seconds = $sw.Elapsed.TotalSeconds; Text = "$($_.Stream):$($_.Text)" }
            }
        }
        $arrivals.Text | Should -Be @('stdout:one', 'stderr:two', 'stdout:three')
        # Streamed, not collected at exit: the first line arrives well before the last.
        ($arrivals[-1].Seconds - $arrivals[0].Seconds) | Should -BeGreaterThan 2
        (Get-Container -Id $c.Id).Status | Should -Be 'Exited'
    }

    It 'returns at once for an exited container' {
        $c = Invoke-ToExit -Script 'echo done'
        $out = Invoke-WithTimeout -TimeoutSeconds 20 -ArgumentList $env:PSCONTAINER_MODULE, $c.Id -ScriptBlock {
            param($module, $id)
            Import-Module $module
            Get-ContainerLog -Id $id -Follow
        }
        $out | Should -Be 'done'
    }

    It 'with -Tail writes the last lines and then follows' {
        $c = New-Container busybox -Command sh, -c, 'echo a; echo b; echo c; sleep 2; echo d' -ErrorAction Stop | Start-Container -PassThru
        Wait-Condition { @(Get-ContainerLog -Id $c.Id).Count -ge 3 } -TimeoutSeconds 20 -Message 'the first lines'
        $out = Invoke-WithTimeout -TimeoutSeconds 30 -ArgumentList $env:PSCONTAINER_MODULE, $c.Id -ScriptBlock {
            param($module, $id)
            Import-Module $module
            Get-ContainerLog -Id $id -Follow -Tail 1
        }
        $out | Should -Be @('c', 'd')
    }
}

Describe 'Start-Container -Attach' {
    It 'streams stdout to the pipeline and stderr to the error stream until the container exits' {
        $c = New-Container busybox -Command sh, -c, 'echo first; sleep 2; echo oops >&2; echo last; exit 4' -ErrorAction Stop
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $arrivals = $c | Start-Container -Attach -ErrorVariable err -ErrorAction SilentlyContinue |
            ForEach-Object { [pscustomobject]@{ Seconds = $sw.Elapsed.TotalSeconds; Text = $_ } }
        $arrivals.Text | Should -Be @('first', 'last')
        ($arrivals[-1].Seconds - $arrivals[0].Seconds) | Should -BeGreaterThan 1.5
        $err | Should -HaveCount 1
        $err[0].Exception.Message | Should -Be 'oops'
        $after = Get-Container -Id $c.Id
        $after.Status | Should -Be 'Exited'
        $after.ExitCode | Should -Be 4
    }

    It 'writes the exited container after the output with -PassThru' {
        $c = New-Container busybox -Command sh, -c, 'echo hello' -ErrorAction Stop
        $out = $c | Start-Container -Attach -PassThru -ErrorAction Stop
        $out | Should -HaveCount 2
        $out[0] | Should -Be 'hello'
        $out[1].Status | Should -Be 'Exited'
        $out[1].ExitCode | Should -Be 0
    }

    It 'Invoke-Container writes stderr lines to the error stream' {
        $out = Invoke-Container busybox sh, -c, 'echo visible; echo hidden >&2' -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -Be 'visible'
        @($err | Where-Object { $_.Exception.Message -eq 'hidden' }) | Should -HaveCount 1
    }
}

#Requires -Version 7.6
# Running things in running containers: Invoke-ContainerCommand (exec with pipes), Get-ContainerProcess (top),
# Measure-Container (stats), and, through a real pseudo-terminal driven by tmux, Enter-Container and
# Start-Container -Attach -Interactive.

BeforeAll {
    foreach ($name in 'PSCONTAINER_MODULE', 'PSCONTAINER_TEST_ROOTFS') {
        $value = [Environment]::GetEnvironmentVariable($name)
        if (-not $value) { throw "$name is not set: run build.ps1 Test (or PesterTest with PSCONTAINER_TEST_ROOTFS pointing at a busybox rootfs tarball)." }
        if (-not (Test-Path -LiteralPath $value -PathType Leaf)) { throw "$name '$value' does not exist." }
    }
    if ((& id -u) -ne '0') { throw 'These tests run real containers and need root.' }
    if (-not (Get-Command tmux -ErrorAction Ignore)) { throw 'tmux is not installed (apt-get install tmux); the terminal tests need it.' }

    # A store of our own, set before the module is imported, so nothing touches /var/lib/pscontainer.
    $script:Root = Join-Path ([IO.Path]::GetTempPath()) ('psc-exec-tests-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:Root | Out-Null
    $env:PSCONTAINER_ROOT = $script:Root
    Remove-Item Env:PSCONTAINER_RUNROOT -ErrorAction Ignore
    Import-Module $env:PSCONTAINER_MODULE -Force -ErrorAction Stop
    $script:RunRoot = (Get-ContainerEngine -ErrorAction Stop).RunRoot
    if ($script:RunRoot -eq '/run/pscontainer') { throw 'The test store shares the default run root.' }
    $null = Import-Image -Path $env:PSCONTAINER_TEST_ROOTFS -Tag busybox:latest -Change 'CMD ["sh"]' -ErrorAction Stop
    $script:Pwsh = Join-Path $PSHOME 'pwsh'

    $script:Web = New-Container busybox -Name web -Command sleep, 1000 -ErrorAction Stop | Start-Container -PassThru -ErrorAction Stop

    function Get-CapEff([string] $Container, [switch] $Privileged) {
        $line = Invoke-ContainerCommand $Container -Privileged:$Privileged -Command grep, CapEff, /proc/self/status -ErrorAction Stop
        [Convert]::ToUInt64(($line -split '\s+')[1], 16)
    }
}

AfterAll {
    if (Get-Command Get-Container -ErrorAction Ignore) {
        Get-Container -All -ErrorAction Continue | Remove-Container -Force -ErrorAction Continue
    }
    $mounts = Get-Content /proc/mounts | ForEach-Object { ($_ -split ' ')[1] } | Where-Object { $_.StartsWith($script:Root + '/', [StringComparison]::Ordinal) }
    if ($mounts) { throw "Mounts left under the test store: $($mounts -join ', ')" }
    foreach ($path in $script:Root, $script:RunRoot) {
        if ($path -and (Test-Path -LiteralPath $path)) { Remove-Item -LiteralPath $path -Recurse -Force }
    }
}

Describe 'Invoke-ContainerCommand' {
    It 'writes stdout lines to the pipeline as strings' {
        $out = Invoke-ContainerCommand web ls, -1, / -ErrorAction Stop
        $out | Should -Contain 'bin'
        $out | Should -Contain 'etc'
        $out | ForEach-Object { $_ | Should -BeOfType ([string]) }
        $LASTEXITCODE | Should -Be 0
    }

    It 'takes the container by -Container and the command by -Command' {
        Invoke-ContainerCommand -Container web -Command echo, 'two words' -ErrorAction Stop | Should -Be 'two words'
    }

    It 'writes stderr lines to the error stream' {
        $out = Invoke-ContainerCommand web sh, -c, 'echo out; echo err >&2' -ErrorVariable errs -ErrorAction SilentlyContinue
        $out | Should -Be 'out'
        $errs.Count | Should -Be 1
        "$($errs[0])" | Should -Be 'err'
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ContainerStandardError*'
    }

    It 'merges stderr into the pipeline with -MergeError' {
        $out = Invoke-ContainerCommand web -MergeError sh, -c, 'echo out; sleep 0.1; echo err >&2' -ErrorVariable errs
        $out | Should -Be @('out', 'err')
        $errs | Should -BeNullOrEmpty
    }

    It 'reports a non-zero exit code as ContainerCommandFailed and in $LASTEXITCODE' {
        $out = Invoke-ContainerCommand web sh, -c, 'echo partial; exit 3' -ErrorVariable errs -ErrorAction SilentlyContinue
        $out | Should -Be 'partial'
        $LASTEXITCODE | Should -Be 3
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ContainerCommandFailed*'
        $errs[0].TargetObject | Should -Be 3
        $errs[0].Exception.Data['ExitCode'] | Should -Be 3
    }

    It 'resets $LASTEXITCODE to 0 after a success' {
        Invoke-ContainerCommand web sh, -c, 'exit 9' -ErrorAction SilentlyContinue
        $LASTEXITCODE | Should -Be 9
        Invoke-ContainerCommand web true -ErrorAction Stop
        $LASTEXITCODE | Should -Be 0
    }

    It 'stops the pipeline on a failure with -ErrorAction Stop' {
        { Invoke-ContainerCommand web false -ErrorAction Stop } | Should -Throw -ErrorId 'ContainerCommandFailed*'
    }

    It 'reports a missing program with exit code 127 and an unrunnable one with 126' {
        Invoke-ContainerCommand web no-such-program -ErrorVariable errs -ErrorAction SilentlyContinue
        $LASTEXITCODE | Should -Be 127
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ContainerCommandNotStarted*'
        "$($errs[0])" | Should -Match 'no-such-program'

        Invoke-ContainerCommand web /etc/passwd -ErrorVariable errs -ErrorAction SilentlyContinue
        $LASTEXITCODE | Should -Be 126
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ContainerCommandNotStarted*'
    }

    It 'writes one result object with -PassThru' {
        $r = Invoke-ContainerCommand web -PassThru sh, -c, 'echo a; echo b; echo c >&2; exit 4' -ErrorAction SilentlyContinue
        $r | Should -BeOfType ([PSContainer.Engine.Containers.ContainerCommandResult])
        $r.ExitCode | Should -Be 4
        $r.Output | Should -Be @('a', 'b')
        $r.Error | Should -Be @('c')
        $r.Container | Should -Be 'web'
        $LASTEXITCODE | Should -Be 4
    }

    It 'feeds pipeline input to stdin, one line per object' {
        'b', 'a' | Invoke-ContainerCommand web sort -ErrorAction Stop | Should -Be @('a', 'b')
        1..1000 | Invoke-ContainerCommand web wc, -l -ErrorAction Stop | Should -Be '1000'
    }

    It 'gives an empty stdin when nothing is piped' {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        Invoke-ContainerCommand web cat -ErrorAction Stop | Should -BeNullOrEmpty
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 20
    }

    It 'runs as the container user by default and as -User when asked' {
        Invoke-ContainerCommand web id, -u -ErrorAction Stop | Should -Be '0'
        Invoke-ContainerCommand web -User www id, -un -ErrorAction Stop | Should -Be 'www'
        Invoke-ContainerCommand web -User www id, -u -ErrorAction Stop | Should -Be '1000'
        # www's supplementary group staff (50) comes from the container's /etc/group.
        Invoke-ContainerCommand web -User www id, -G -ErrorAction Stop | Should -Match '\b50\b'
        Invoke-ContainerCommand web -User 1000:50 id, -g -ErrorAction Stop | Should -Be '50'
        Invoke-ContainerCommand web -User www sh, -c, 'echo $HOME' -ErrorAction Stop | Should -Be '/var/www'
    }

    It 'rejects a user the container does not know' {
        { Invoke-ContainerCommand web -User nobody-here id -ErrorAction Stop } | Should -Throw -ErrorId 'UserNotFound*'
    }

    It 'runs in -WorkingDirectory' {
        Invoke-ContainerCommand web pwd -ErrorAction Stop | Should -Be '/'
        Invoke-ContainerCommand web -WorkingDirectory /tmp pwd -ErrorAction Stop | Should -Be '/tmp'
        { Invoke-ContainerCommand web -WorkingDirectory tmp pwd -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidWorkingDirectory*'
    }

    It 'adds -Environment from strings or a hashtable to the container environment' {
        Invoke-ContainerCommand web -Environment A=1, B=two sh, -c, 'echo "$A-$B"' -ErrorAction Stop | Should -Be '1-two'
        Invoke-ContainerCommand web -Environment @{ MODE = 'debug' } sh, -c, 'echo $MODE; echo $PATH' -ErrorAction Stop |
            Should -Be @('debug', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin')
        $env:PSC_EXEC_PASSED = 'from-session'
        try {
            Invoke-ContainerCommand web -Environment PSC_EXEC_PASSED sh, -c, 'echo $PSC_EXEC_PASSED' -ErrorAction Stop | Should -Be 'from-session'
        } finally { Remove-Item Env:PSC_EXEC_PASSED }
    }

    It 'gives every capability with -Privileged' {
        $sysAdmin = [uint64] 1 -shl 21
        (Get-CapEff web) -band $sysAdmin | Should -Be 0
        (Get-CapEff web -Privileged) -band $sysAdmin | Should -Be $sysAdmin
    }

    It 'runs in a container started by another pwsh process' {
        $script = "Import-Module '$env:PSCONTAINER_MODULE'; New-Container busybox -Name elsewhere -Command sleep, 1000 -ErrorAction Stop | Start-Container -ErrorAction Stop"
        & $script:Pwsh -NoProfile -NonInteractive -Command $script
        $LASTEXITCODE | Should -Be 0
        Invoke-ContainerCommand elsewhere hostname -ErrorAction Stop | Should -Be (Get-Container elsewhere).ShortId
        'x' | Invoke-ContainerCommand elsewhere cat -ErrorAction Stop | Should -Be 'x'
    }

    It 'runs from another pwsh process in a container started here' {
        $script = "Import-Module '$env:PSCONTAINER_MODULE'; Invoke-ContainerCommand web sh, -c, 'echo from-child; exit 7' -ErrorAction SilentlyContinue; exit `$LASTEXITCODE"
        $out = & $script:Pwsh -NoProfile -NonInteractive -Command $script
        $LASTEXITCODE | Should -Be 7
        $out | Should -Be 'from-child'
    }

    It 'refuses a container that is not running' {
        $null = New-Container busybox -Name created-only -Command true -ErrorAction Stop
        { Invoke-ContainerCommand created-only true -ErrorAction Stop } | Should -Throw -ErrorId 'ContainerNotRunning*'
    }

    It 'refuses a paused container' {
        Suspend-Container web -ErrorAction Stop
        try {
            { Invoke-ContainerCommand web true -ErrorAction Stop } | Should -Throw -ErrorId 'ContainerNotRunning*'
        } finally { Resume-Container web -ErrorAction Stop }
    }

    It 'reports an unknown container' {
        { Invoke-ContainerCommand no-such-container true -ErrorAction Stop } | Should -Throw -ErrorId 'ContainerNotFound*'
    }

    It 'leaves no exec files behind' {
        Invoke-ContainerCommand web true -ErrorAction Stop
        Get-ChildItem (Join-Path $script:Root 'tmp') -Filter 'exec-*' | Should -BeNullOrEmpty
    }
}

Describe 'Get-ContainerProcess' {
    It 'lists the container''s init process' {
        $ps = @(Get-ContainerProcess web -ErrorAction Stop)
        $init = $ps | Where-Object CommandLine -eq 'sleep 1000'
        $init | Should -Not -BeNullOrEmpty
        $init | Should -BeOfType ([PSContainer.Engine.Containers.ContainerProcess])
        $init.Pid | Should -Be (Get-Container web).Pid
        $init.ContainerPid | Should -Be 1
        $init.User | Should -Be 'root'
        $init.Uid | Should -Be 0
        $init.Name | Should -Be 'sleep'
        $init.Container | Should -Be 'web'
        $init.Elapsed | Should -BeGreaterThan ([TimeSpan]::Zero)
        $init.StartTime | Should -BeLessThan ([DateTimeOffset]::UtcNow)
    }

    It 'shows processes started by exec, with their user' {
        Invoke-ContainerCommand web -User www sh, -c, 'sleep 321 >/dev/null 2>&1 &' -ErrorAction Stop
        $extra = Get-ContainerProcess web -ErrorAction Stop | Where-Object CommandLine -eq 'sleep 321'
        $extra | Should -Not -BeNullOrEmpty
        $extra.User | Should -Be 'www'
        $extra.ContainerPid | Should -BeGreaterThan 1
        Invoke-ContainerCommand web kill, $extra.ContainerPid -ErrorAction Stop
    }

    It 'takes containers from the pipeline' {
        Get-Container web | Get-ContainerProcess -ErrorAction Stop | Where-Object ContainerPid -eq 1 | Should -Not -BeNullOrEmpty
    }

    It 'refuses a container that is not running' {
        { Get-ContainerProcess created-only -ErrorAction Stop } | Should -Throw -ErrorId 'ContainerNotRunning*'
    }

    It 'formats as a table' {
        $text = Get-ContainerProcess web | Out-String -Width 200
        $text | Should -Match 'UID\s+PID\s+PPID'
        $text | Should -Match 'sleep 1000'
    }
}

Describe 'Measure-Container' {
    BeforeAll {
        $null = New-Container busybox -Name busy -Memory 256MB -Command sleep, 1000 -ErrorAction Stop | Start-Container -ErrorAction Stop
    }

    It 'measures a running container once' {
        $s = @(Measure-Container busy -ErrorAction Stop)
        $s.Count | Should -Be 1
        $s[0] | Should -BeOfType ([PSContainer.Engine.Containers.ContainerStats])
        $s[0].Name | Should -Be 'busy'
        $s[0].MemoryLimit | Should -Be 256MB
        $s[0].MemoryUsage | Should -BeGreaterThan 0
        $s[0].Pids | Should -BeGreaterOrEqual 1
        $s[0].CpuPercent | Should -BeGreaterOrEqual 0
        $s[0].BlockRead | Should -BeGreaterOrEqual 0
    }

    It 'shows the host memory as the limit of an unlimited container' {
        $hostKb = [long] ((Get-Content /proc/meminfo | Select-String '^MemTotal:\s+(\d+)').Matches[0].Groups[1].Value)
        (Measure-Container web -ErrorAction Stop).MemoryLimit | Should -Be ($hostKb * 1KB)
    }

    It 'sees memory grow when the container allocates' {
        $before = Measure-Container busy -ErrorAction Stop
        # /dev/shm is tmpfs: its pages are charged to the container's memory cgroup and are not page cache.
        Invoke-ContainerCommand busy dd, if=/dev/zero, of=/dev/shm/fill, bs=1M, count=48 -MergeError -ErrorAction Stop | Out-Null
        $after = Measure-Container busy -ErrorAction Stop
        ($after.MemoryUsage - $before.MemoryUsage) | Should -BeGreaterThan 40MB
        $after.MemoryPercent | Should -BeGreaterThan $before.MemoryPercent
        Invoke-ContainerCommand busy rm, /dev/shm/fill -ErrorAction Stop
    }

    It 'sees CPU use rise with a busy loop' {
        $idle = Measure-Container busy -ErrorAction Stop
        Invoke-ContainerCommand busy sh, -c, 'while :; do :; done >/dev/null 2>&1 &' -ErrorAction Stop
        try {
            $busy = Measure-Container busy -ErrorAction Stop
            $busy.CpuPercent | Should -BeGreaterThan ($idle.CpuPercent + 2)
            $busy.CpuTime | Should -BeGreaterThan $idle.CpuTime
            $busy.Pids | Should -BeGreaterThan $idle.Pids
        } finally {
            $loop = Get-ContainerProcess busy | Where-Object CommandLine -like 'sh -c while*'
            foreach ($p in $loop) { Invoke-ContainerCommand busy kill, -9, $p.ContainerPid -ErrorAction Continue }
        }
    }

    It 'streams a reading every second with -Stream' {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $s = @(Measure-Container busy -Stream | Select-Object -First 3)
        $s.Count | Should -Be 3
        $sw.Elapsed.TotalSeconds | Should -BeGreaterThan 2.5
        ($s[2].Time - $s[0].Time).TotalSeconds | Should -BeGreaterThan 1.5
    }

    It 'ends -Stream when the container stops' {
        $null = New-Container busybox -Name short -Command sleep, 3 -ErrorAction Stop | Start-Container -ErrorAction Stop
        $s = @(Measure-Container short -Stream -ErrorAction Stop)
        $s.Count | Should -BeGreaterOrEqual 1
        $s.Count | Should -BeLessThan 8
    }

    It 'measures several containers together' {
        $s = @(Measure-Container busy, web -ErrorAction Stop)
        $s.Name | Should -Be @('busy', 'web')
    }

    It 'reports a container that is not running and measures the rest' {
        $s = @(Measure-Container created-only, busy -ErrorVariable errs -ErrorAction SilentlyContinue)
        $s.Name | Should -Be 'busy'
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ContainerNotRunning*'
    }

    It 'formats as a table' {
        Measure-Container busy | Out-String -Width 200 | Should -Match 'CPU %\s+MEM USAGE / LIMIT'
    }
}

Describe 'Terminal sessions' {
    BeforeAll {
        # A private tmux server, so the test neither sees nor disturbs anyone else's sessions.
        $script:Socket = 'psc-exec-' + [guid]::NewGuid().ToString('N').Substring(0, 12)
        $init = Join-Path $script:Root 'terminal-init.ps1'
        Set-Content -LiteralPath $init -Value @"
`$env:PSCONTAINER_ROOT = '$script:Root'
Import-Module '$env:PSCONTAINER_MODULE' -ErrorAction Stop
function global:prompt { 'PS> ' }
if (Get-Module PSReadLine) { Set-PSReadLineOption -PredictionSource None -HistorySaveStyle SaveNothing }
"@
        & tmux -L $script:Socket new-session -d -s term -x 120 -y 40 "'$script:Pwsh' -NoProfile -NoLogo -NoExit -File '$init'"
        if ($LASTEXITCODE -ne 0) { throw 'tmux could not start a session.' }

        function Send-Keys([Parameter(ValueFromRemainingArguments)] [string[]] $Keys) {
            & tmux -L $script:Socket send-keys -t term @Keys
        }
        function Send-Line([string] $Text) {
            & tmux -L $script:Socket send-keys -t term -l $Text
            & tmux -L $script:Socket send-keys -t term Enter
        }
        function Get-Pane {
            (& tmux -L $script:Socket capture-pane -p -J -S -500 -t term) -join "`n"
        }
        function Wait-Pane([string] $Pattern, [double] $Seconds = 30) {
            $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
            do {
                $text = Get-Pane
                if ($text -match $Pattern) { return $text }
                Start-Sleep -Milliseconds 200
            } while ([DateTime]::UtcNow -lt $deadline)
            throw "The terminal did not show /$Pattern/ within $Seconds s. It shows:`n$text"
        }
        function Clear-Pane {
            Send-Line 'Clear-Host'
            Start-Sleep -Milliseconds 300
            & tmux -L $script:Socket clear-history -t term
        }
        function Get-ExecConmon {
            # The conmon of an Enter-Container session: it runs with --exec on a process spec in the store.
            foreach ($dir in Get-ChildItem /proc -Directory | Where-Object Name -Match '^\d+$') {
                try { $cmdline = [IO.File]::ReadAllText("/proc/$($dir.Name)/cmdline") } catch { continue }
                if ($cmdline.Contains("`0--exec`0") -and $cmdline.Contains($script:Root + '/')) { [int] $dir.Name }
            }
        }

        function Wait-Until([scriptblock] $Condition, [string] $What, [double] $Seconds = 20) {
            # Polls for what a test asserts next, instead of sleeping a fixed time and hoping it happened.
            $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
            while (-not (& $Condition)) {
                if ([DateTime]::UtcNow -gt $deadline) { throw "Timed out after $Seconds s waiting for $What." }
                Start-Sleep -Milliseconds 100
            }
        }

        function Get-PaneTerminal {
            # The settings of the pane's terminal, read from outside: a child of pwsh would see .NET's own.
            $tty = (& tmux -L $script:Socket display-message -p -t term '#{pane_tty}').Trim()
            (& stty -g -F $tty).Trim()
        }

        $null = Wait-Pane '(?m)^PS>\s*$' 90
        Start-Sleep -Milliseconds 500
        $script:TerminalAtPrompt = Get-PaneTerminal
    }

    AfterAll {
        & tmux -L $script:Socket kill-server 2>$null
    }

    It 'runs an interactive shell with Enter-Container' {
        Clear-Pane
        Send-Line 'Enter-Container web'
        $null = Wait-Pane '(?m)^/ #\s*$'
        Send-Line 'echo $((6*7))'
        $null = Wait-Pane '(?m)^42\s*$'
        Send-Line 'tty'
        $null = Wait-Pane '(?m)^/dev/pts/\d+\s*$'
    }

    It 'follows the terminal''s size and its resizes' {
        Send-Line 'stty size'
        $null = Wait-Pane '(?m)^40 120\s*$'
        & tmux -L $script:Socket resize-window -t term -x 100 -y 30
        Start-Sleep -Milliseconds 500
        Send-Line 'stty size'
        $null = Wait-Pane '(?m)^30 100\s*$'
    }

    It 'sends Ctrl+C to the container, not to PowerShell' {
        Send-Line 'sleep 300'
        Wait-Until { Get-ContainerProcess web | Where-Object CommandLine -eq 'sleep 300' } 'sleep 300 to run'
        Send-Keys C-c
        Send-Line 'echo still-$((1+1))-inside'
        $null = Wait-Pane '(?m)^still-2-inside\s*$'
        Get-ContainerProcess web | Where-Object CommandLine -eq 'sleep 300' | Should -BeNullOrEmpty
    }

    It 'returns to PowerShell on exit with the exit code, and the terminal works' {
        Send-Line 'exit 5'
        $null = Wait-Pane '(?m)^PS>\s*$'
        Send-Line '"code=$LASTEXITCODE"'
        $null = Wait-Pane '(?m)^code=5\s*$'
        Get-PaneTerminal | Should -Be $script:TerminalAtPrompt
        Send-Line '"sum=$(1+2)"'
        $null = Wait-Pane '(?m)^sum=3\s*$'
        Get-ChildItem (Join-Path $script:Root "containers/$($script:Web.Id)/exec") -ErrorAction Ignore | Should -BeNullOrEmpty
    }

    It 'reports a missing program with exit code 127' {
        Clear-Pane
        Send-Line 'Enter-Container web no-such-program; "code=$LASTEXITCODE err=$($Error[0].FullyQualifiedErrorId)"'
        $null = Wait-Pane '(?m)^code=127 err=ContainerCommandNotStarted'
    }

    It 'restores the terminal when conmon is killed' {
        Clear-Pane
        Send-Line 'Enter-Container web'
        $null = Wait-Pane '(?m)^/ #\s*$'
        $conmon = @(Get-ExecConmon)
        $conmon.Count | Should -Be 1
        & kill -9 $conmon[0]
        $null = Wait-Pane '(?m)^PS>\s*$'
        Wait-Until { (Get-PaneTerminal) -eq $script:TerminalAtPrompt } 'the terminal settings of the prompt' 10
        Get-PaneTerminal | Should -Be $script:TerminalAtPrompt
        Send-Line '"sum=$(2+2)"'
        $null = Wait-Pane '(?m)^sum=4\s*$'
    }

    It 'detaches from Enter-Container with ctrl-p ctrl-q and leaves the shell running' {
        Clear-Pane
        Send-Line 'Enter-Container web'
        $null = Wait-Pane '(?m)^/ #\s*$'
        Send-Line 'echo $((6*7))'
        $null = Wait-Pane '(?m)^42\s*$'
        Send-Keys C-p C-q
        $null = Wait-Pane 'Detached from container web'
        $null = Wait-Pane '(?m)^PS>\s*$'
        @(Get-ContainerProcess web | Where-Object CommandLine -eq 'sh').Count | Should -Be 1
        @(Get-ExecConmon).Count | Should -Be 1
        Wait-Until { (Get-PaneTerminal) -eq $script:TerminalAtPrompt } 'the terminal settings of the prompt' 10
        Get-PaneTerminal | Should -Be $script:TerminalAtPrompt
        Send-Line '"sum=$(3+4)"'
        $null = Wait-Pane '(?m)^sum=7\s*$'
    }

    It 'detaches with the keys -DetachKeys names' {
        Clear-Pane
        Send-Line 'Enter-Container web -DetachKeys ctrl-x'
        $null = Wait-Pane '(?m)^/ #\s*$'
        Send-Line 'echo still-$((2+3))-inside'
        $null = Wait-Pane '(?m)^still-5-inside\s*$'
        Send-Keys C-x
        $null = Wait-Pane 'Detached from container web'
        $null = Wait-Pane '(?m)^PS>\s*$'
        @(Get-ContainerProcess web | Where-Object CommandLine -eq 'sh').Count | Should -Be 2
    }

    It 'reports Enter-Container on a container that is not running' {
        Clear-Pane
        Send-Line 'Enter-Container created-only; "err=$($Error[0].FullyQualifiedErrorId)"'
        $null = Wait-Pane '(?m)^err=ContainerNotRunning'
    }

    It 'attaches with Start-Container -Attach -Interactive and detaches with ctrl-p ctrl-q' {
        Clear-Pane
        Send-Line 'New-Container busybox -Name tty1 -Tty -Interactive -Command sh | Start-Container -Attach -Interactive'
        $null = Wait-Pane '(?m)^/ #\s*$'
        Send-Line 'echo $((6*7))'
        $null = Wait-Pane '(?m)^42\s*$'
        Send-Line 'stty size'
        $null = Wait-Pane '(?m)^30 100\s*$'
        Send-Keys C-p C-q
        $null = Wait-Pane '(?m)^PS>\s*$'
        (Get-Container tty1).Status | Should -Be 'Running'
    }

    It 'attaches again, keeps stdin open, and returns when the container exits' {
        Clear-Pane
        Send-Line 'Start-Container tty1 -Attach -Interactive'
        Start-Sleep -Seconds 2
        Send-Line 'echo again-$((2*2))'
        $null = Wait-Pane '(?m)^again-4\s*$'
        Send-Line 'exit 4'
        $null = Wait-Pane '(?m)^PS>\s*$'
        $c = Get-Container tty1
        $c.Status | Should -Be 'Exited'
        $c.ExitCode | Should -Be 4
    }

    It 'stops Invoke-ContainerCommand with Ctrl+C' {
        Clear-Pane
        Send-Line 'Invoke-ContainerCommand web sleep, 300'
        $deadline = [DateTime]::UtcNow.AddSeconds(20)
        while (-not (Get-ContainerProcess web | Where-Object CommandLine -eq 'sleep 300')) {
            if ([DateTime]::UtcNow -gt $deadline) { throw 'The command did not start.' }
            Start-Sleep -Milliseconds 200
        }
        Send-Keys C-c
        $null = Wait-Pane '(?m)^PS>\s*$' 15
        Wait-Until { -not (Get-ContainerProcess web | Where-Object CommandLine -eq 'sleep 300') } 'sleep 300 to end' 10
        Get-ContainerProcess web | Where-Object CommandLine -eq 'sleep 300' | Should -BeNullOrEmpty
    }

    It 'ends detached sessions with their container and leaves nothing of them behind' {
        $dir = Join-Path $script:Root "containers/$((Get-Container web).Id)"
        Remove-Container web -Force -ErrorAction Stop
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while (@(Get-ExecConmon).Count -gt 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
        @(Get-ExecConmon).Count | Should -Be 0
        Test-Path $dir | Should -BeFalse
        Get-ChildItem (Join-Path $script:RunRoot 'sockets') | Where-Object { $_.LinkTarget -like "$dir*" } | Should -BeNullOrEmpty
    }
}

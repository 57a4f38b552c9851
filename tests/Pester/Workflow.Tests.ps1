#Requires -Version 7.6
# The daily workflow from PowerShell: container commands passed verbatim (--), bytes kept as bytes,
# stderr that never stops a script by itself, tables at 80 and 160 columns, pipelines between nouns.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Root = Initialize-TestStore
    $script:Web = New-Container busybox -Name web -Command sleep, 1000 -ErrorAction Stop | Start-Container -PassThru -ErrorAction Stop
    $script:Files = Join-Path $script:Root 'files'
    New-Item -ItemType Directory -Path $script:Files | Out-Null

    # The error a script block stops with.
    function Get-ThrownError([scriptblock] $Script) {
        try { & $Script; $null } catch { $_ }
    }

    # Every byte value from 0 to 255, written by a shell in the container $Times times.
    $script:AllBytes = "i=0; while [ `$i -lt 256 ]; do printf `"\\`$(printf %o `$i)`"; i=`$((i+1)); done"
}

AfterAll {
    if ($script:Root) { Remove-TestStore -Root $script:Root }
}

Describe 'Container commands are passed verbatim' {
    It 'runs everything after -- as the command, options included' {
        $out = Invoke-ContainerCommand web -- grep -v root /etc/passwd
        $out | Should -Not -BeNullOrEmpty
        $out | Where-Object { $_ -match 'root' } | Should -BeNullOrEmpty
        Invoke-ContainerCommand web -- sh -c 'printf "b\na\nb\n" > /tmp/f; sort -u /tmp/f' | Should -Be @('a', 'b')
        Invoke-ContainerCommand web -- mkdir -p /tmp/x/y
        Invoke-ContainerCommand web -- wc -c /etc/hostname | Should -Match '^\d+ /etc/hostname$'
    }

    It 'refuses an option after the command began and shows the -- form' {
        $err = Get-ThrownError { Invoke-ContainerCommand web grep -v root /etc/passwd }
        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterAfterContainerCommand*'
        $err.Exception.Message | Should -BeLike '*Invoke-ContainerCommand web -- grep -v root /etc/passwd'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'refuses an option that would be a parameter of Invoke-Container and runs nothing' {
        $before = @(Get-Container -All).Count
        $err = Get-ThrownError { Invoke-Container busybox ls -la /tmp }
        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterAfterContainerCommand*'
        $err.Exception.Message | Should -BeLike '*Invoke-Container busybox -- ls -la /tmp'
        @(Get-Container -All).Count | Should -Be $before
        Invoke-Container busybox -- ls -la /etc/hostname | Should -Match 'hostname$'
    }

    It 'refuses an option given to -Command as separate words' {
        $err = Get-ThrownError { New-Container busybox -Command ls -la /tmp }
        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterAfterContainerCommand*'
        $err.Exception.Message | Should -BeLike '*New-Container busybox -- ls -la /tmp'
    }

    It 'catches a mistyped parameter and suggests the right one' {
        $before = @(Get-Container -All).Count
        $err = Get-ThrownError { New-Container busybox -Nmae x }
        $err.FullyQualifiedErrorId | Should -BeLike 'NotAParameter*'
        $err.Exception.Message | Should -BeLike "*'-Nmae' is not a parameter of New-Container (did you mean -Name?)*New-Container busybox -- -Nmae x"
        @(Get-Container -All).Count | Should -Be $before
    }

    It 'finds the mistake in a command typed over several lines' {
        $err = Get-ThrownError {
            Invoke-ContainerCommand web `
                -User root `
                grep -v root /etc/passwd
        }
        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterAfterContainerCommand*'
        $err.Exception.Message | Should -BeLike '*Invoke-ContainerCommand web -User root -- grep -v root /etc/passwd'
    }

    It 'keeps PowerShell parameters after a command given as an array or as one word' {
        Invoke-ContainerCommand web id, -u -ErrorAction Stop | Should -Be '0'
        Invoke-ContainerCommand web hostname -ErrorAction Stop | Should -Be $script:Web.ShortId
        Invoke-ContainerCommand web sh, -c, 'exit 0' -MergeError -ErrorAction Stop | Should -BeNullOrEmpty
    }

    It 'moves PowerShell parameters before -- in the corrected form' {
        $err = Get-ThrownError { Invoke-ContainerCommand web cat -n /etc/hostname -ErrorAction Stop }
        $err.Exception.Message | Should -BeLike '*Invoke-ContainerCommand web -ErrorAction Stop -- cat -n /etc/hostname'
    }

    It 'takes a piped container with -Command, and explains the -- form after a pipe' {
        Get-Container web | Invoke-ContainerCommand -Command hostname | Should -Be $script:Web.ShortId
        Get-Container web | Invoke-ContainerCommand -Command hostname, -s | Should -Be $script:Web.ShortId
        $err = Get-ThrownError { Get-Container web | Invoke-ContainerCommand -- hostname }
        $err.FullyQualifiedErrorId | Should -BeLike 'PipedContainerNeedsCommand*'
        Invoke-ContainerCommand -Id $script:Web.Id -- hostname | Should -Be $script:Web.ShortId
    }

    It 'documents -- in the help of every cmdlet that takes a container command' {
        foreach ($name in 'Invoke-Container', 'New-Container', 'Invoke-ContainerCommand', 'Enter-Container') {
            (Get-Help $name -Full | Out-String) | Should -Match "$name [^`n]*-- " -Because "$name's help shows the -- form"
        }
    }
}

Describe 'Bytes are bytes' {
    BeforeAll {
        $script:Random = [byte[]]::new(100000)
        [Random]::new(11).NextBytes($script:Random)
        $script:RandomFile = Join-Path $script:Files 'random.bin'
        [IO.File]::WriteAllBytes($script:RandomFile, $script:Random)
        $script:RandomHash = (Get-FileHash $script:RandomFile).Hash
        $script:Expected256 = [byte[]](0..255)
    }

    It 'Invoke-ContainerCommand -InputFile and -OutFile copy bytes exactly' {
        $out = Join-Path $script:Files 'exec-out.bin'
        Invoke-ContainerCommand web -InputFile $script:RandomFile -OutFile $out -ErrorAction Stop -- cat | Should -BeNullOrEmpty
        (Get-FileHash $out).Hash | Should -Be $script:RandomHash
    }

    It 'Invoke-ContainerCommand takes byte[] from the pipeline and writes byte[] chunks with -AsByteStream' {
        $chunks = @(, $script:Random | Invoke-ContainerCommand web -AsByteStream -ErrorAction Stop -- cat)
        $chunks | ForEach-Object { $_.GetType() | Should -Be ([byte[]]) }
        $joined = [byte[]] ($chunks | ForEach-Object { $_ })
        $joined.Length | Should -Be $script:Random.Length
        [Convert]::ToHexString($joined) | Should -Be ([Convert]::ToHexString($script:Random))
        $bytes = Get-Content -AsByteStream -LiteralPath $script:RandomFile -ReadCount 0 | Invoke-ContainerCommand web -AsByteStream -- wc -c
        [Text.Encoding]::ASCII.GetString([byte[]] ($bytes | ForEach-Object { $_ })).Trim() | Should -Be '100000'
    }

    It 'Invoke-Container -OutFile and -AsByteStream keep every byte value' {
        $out = Join-Path $script:Files 'run-out.bin'
        Invoke-Container busybox -OutFile $out -ErrorAction Stop -- sh -c $script:AllBytes
        [IO.File]::ReadAllBytes($out) | Should -Be $script:Expected256
        $chunks = Invoke-Container busybox -AsByteStream -ErrorAction Stop -- sh -c $script:AllBytes
        [byte[]] ($chunks | ForEach-Object { $_ }) | Should -Be $script:Expected256
    }

    It 'Invoke-Container -InputFile feeds the container stdin' {
        $out = Join-Path $script:Files 'run-in.bin'
        Invoke-Container busybox -InputFile $script:RandomFile -OutFile $out -ErrorAction Stop -- cat
        (Get-FileHash $out).Hash | Should -Be $script:RandomHash
        'b', 'a' | Invoke-Container busybox -ErrorAction Stop -- sort | Should -Be @('a', 'b')
    }

    It 'Copy-ContainerItem refuses - (a tar on stdin or stdout) clearly' {
        $err = Get-ThrownError { Copy-ContainerItem web:/etc/hostname - -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -BeLike 'CopyStreamNotSupported*'
        $err.Exception.Message | Should -BeLike '*Export-Container*'
        { Copy-ContainerItem - web:/tmp -ErrorAction Stop } | Should -Throw -ErrorId 'CopyStreamNotSupported*'
    }
}

Describe 'stderr does not stop a script; the exit code does' {
    It 'Invoke-ContainerCommand writes stderr where 2>&1 captures it, without stopping under Stop' {
        $ErrorActionPreference = 'Stop'
        $out = Invoke-ContainerCommand web -- sh -c 'echo out; echo err >&2'
        $out | Should -Be 'out'
        $all = Invoke-ContainerCommand web -- sh -c 'echo out; sleep 0.1; echo err >&2' 2>&1
        $all[0] | Should -Be 'out'
        $all[1] | Should -BeOfType ([Management.Automation.ErrorRecord])
        "$($all[1])" | Should -Be 'err'
        $LASTEXITCODE | Should -Be 0
    }

    It 'Invoke-Container writes stderr without stopping under Stop' {
        $ErrorActionPreference = 'Stop'
        $all = Invoke-Container busybox -- sh -c 'echo out; sleep 0.1; echo err >&2' 2>&1
        $all | ForEach-Object { "$_" } | Should -Be @('out', 'err')
        $LASTEXITCODE | Should -Be 0
    }

    It 'a non-zero exit is the error, with $LASTEXITCODE set, 127 for a missing command' {
        $ErrorActionPreference = 'Stop'
        { Invoke-ContainerCommand web -- sh -c 'exit 4' } | Should -Throw -ErrorId 'ContainerCommandFailed*'
        $LASTEXITCODE | Should -Be 4
        { Invoke-Container busybox -- sh -c 'exit 5' } | Should -Throw -ErrorId 'ContainerCommandFailed*'
        $LASTEXITCODE | Should -Be 5
        { Invoke-ContainerCommand web -- no-such-program } | Should -Throw
        $LASTEXITCODE | Should -Be 127
        { Invoke-Container busybox -- no-such-program } | Should -Throw
        $LASTEXITCODE | Should -Be 127
    }

    It 'Start-Container -Attach sets $LASTEXITCODE' {
        $c = New-Container busybox -Command sh, -c, 'echo attached; exit 6' -ErrorAction Stop
        $out = Start-Container $c.Name -Attach -ErrorAction SilentlyContinue
        $out | Should -Be 'attached'
        $LASTEXITCODE | Should -Be 6
        Remove-Container $c.Name -Force
    }

    It 'Get-ContainerLog writes line objects, stderr included, that print like docker logs' {
        $ErrorActionPreference = 'Stop'
        $c = New-Container busybox -Name logger -Command sh, -c, 'echo out1; sleep 0.2; echo err1 >&2; sleep 0.2; echo out2' | Start-Container -Wait -PassThru
        $lines = Get-ContainerLog logger
        $lines | Should -HaveCount 3
        $lines.Text | Should -Be @('out1', 'err1', 'out2')
        $lines.Stream | Should -Be @('stdout', 'stderr', 'stdout')
        $lines.Container | Should -Be @('logger', 'logger', 'logger')
        $lines[0].Time | Should -BeOfType ([DateTimeOffset])
        ($lines | Out-String).Trim() -split "`r?`n" | Should -Be @('out1', 'err1', 'out2')
        Remove-Container logger -Force
    }

    It 'Get-ContainerLog of several containers tells them apart' {
        $null = New-Container busybox -Name log-a -Command echo, from-a | Start-Container -Wait -PassThru
        $null = New-Container busybox -Name log-b -Command echo, from-b | Start-Container -Wait -PassThru
        $text = (Get-ContainerLog log-a, log-b | Out-String) -split "`r?`n" | Where-Object { $_ }
        $text | Should -Contain 'log-a | from-a'
        $text | Should -Contain 'log-b | from-b'
        Remove-Container log-a, log-b -Force
    }
}

Describe 'Help' {
    It 'shows switches as switches, aliases, INPUTS, OUTPUTS and related links' {
        $help = Get-Help Invoke-ContainerCommand -Full | Out-String
        $help | Should -Match '\[-AsByteStream\]'
        $help | Should -Not -Match '<SwitchParameter>'
        $help | Should -Match 'Aliases\s+Container'
        $help | Should -Match '(?s)INPUTS.*PSContainer\.Engine\.Containers\.ContainerInfo'
        $help | Should -Match '(?s)OUTPUTS.*System\.Byte\[\]'
        $help | Should -Match '(?s)RELATED LINKS.*Enter-Container'
    }

    It 'has an about_PSContainer topic that explains --' {
        Get-Help about_PSContainer | Out-String | Should -Match 'Invoke-ContainerCommand web -- grep -v root'
    }
}

Describe 'Tables that show what matters at any width' {
    BeforeAll {
        $script:LongName = 'shop-frontend-production-1'
        $script:LongImage = 'registry.example.com:5000/team/project/very-long-image-name:1.2.3-build.456'
        Add-ImageTag busybox $script:LongImage -ErrorAction Stop
        $null = New-Container $script:LongImage -Name $script:LongName -Port 8080-8082:80-82, 127.0.0.1:9090:90/udp -Command sleep, 1000 -ErrorAction Stop
        $null = New-Network wf-net -ErrorAction Stop
        $null = New-Volume wf-vol -ErrorAction Stop

        # What a command prints in a real terminal of the given width (a private tmux server).
        function Get-TerminalText([int] $Width, [string] $Command) {
            $socket = 'psc-wf-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
            $done = 'END-OF-' + $socket
            $script = "`$ProgressPreference = 'SilentlyContinue'; Import-Module '$env:PSCONTAINER_MODULE'; $Command | Out-Host; '$done'; Start-Sleep 60"
            $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))
            & tmux -L $socket new-session -d -x $Width -y 50 -e "PSCONTAINER_ROOT=$env:PSCONTAINER_ROOT" -e 'TERM=xterm' "$(Get-PwshPath) -NoProfile -EncodedCommand $encoded"
            try {
                $text = ''
                Wait-Condition -TimeoutSeconds 30 -Message "$Command at $Width columns" -Condition {
                    $script:captured = & tmux -L $socket capture-pane -p -S 0 2>$null
                    ($script:captured -join "`n").Contains($done)
                }
                $script:captured | Where-Object { $_ -and $_ -notmatch [regex]::Escape($done) }
            } finally {
                & tmux -L $socket kill-server 2>$null
            }
        }
    }

    AfterAll {
        Remove-Container $script:LongName -Force -ErrorAction Continue
        Remove-Network wf-net -ErrorAction Continue
        Remove-Volume wf-vol -ErrorAction Continue
    }

    It 'Get-Container at 80 columns keeps the id, the whole name, the status and the compacted ports' {
        $lines = Get-TerminalText -Width 80 -Command 'Get-Container -All'
        $header = $lines | Where-Object { $_ -match 'CONTAINER ID' }
        $header | Should -Match 'NAMES'
        $header | Should -Match 'STATUS'
        $header | Should -Match 'PORTS'
        $row = $lines | Where-Object { $_ -match [regex]::Escape($script:LongName) }
        $row | Should -Not -BeNullOrEmpty -Because ($lines -join "`n")
        $row | Should -Match 'Created'
        $row | Should -Match '8080-8082->80-82/tcp'
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
    }

    It 'Get-Container at 160 columns shows more: every port, creation time and command' {
        $lines = Get-TerminalText -Width 160 -Command 'Get-Container -All'
        $header = $lines | Where-Object { $_ -match 'CONTAINER ID' }
        $header | Should -Match 'CREATED'
        $header | Should -Match 'COMMAND'
        $row = $lines | Where-Object { $_ -match [regex]::Escape($script:LongName) }
        $row | Should -Match '8080-8082->80-82/tcp'
        $lines | Where-Object { $_ -match '127\.0\.0\.1:9090->90/udp' } | Should -Not -BeNullOrEmpty
        $row | Should -Match ([regex]::Escape('registry.e…ame:1.2.3-build.456'))
        $row | Should -Match '"sleep'
    }

    It 'Get-Image, Get-Network and Get-Volume fit 80 columns with whole headers' {
        $image = Get-TerminalText -Width 80 -Command 'Get-Image'
        ($image | Where-Object { $_ -match 'REPOSITORY' }) | Should -Match 'IMAGE ID\s+SIZE'
        ($image | Where-Object { $_ -match '^busybox' }) | Should -Match '\d(\.\d+)?[kMG]?B\b'
        $network = Get-TerminalText -Width 80 -Command 'Get-Network'
        ($network | Where-Object { $_ -match 'NETWORK ID' }) | Should -Match 'NAME\s+DRIVER\s+SUBNET'
        $network | Where-Object { $_ -match '\bwf-net\b' } | Should -Not -BeNullOrEmpty
        $volume = Get-TerminalText -Width 80 -Command 'Get-Volume'
        ($volume | Where-Object { $_ -match 'VOLUME NAME' }) | Should -Match 'DRIVER\s+VOLUME NAME\s+SIZE'
    }

    It 'Format-List shows a container as a readable list' {
        $text = Get-Container $script:LongName | Format-List | Out-String
        $text | Should -Match "Name\s+: $([regex]::Escape($script:LongName))"
        $text | Should -Match 'Ports\s+: 8080-8082->80-82/tcp'
        $text | Should -Match 'Status\s+: Created'
    }
}

Describe 'Pipelines that read naturally' {
    BeforeAll {
        $null = New-Network wf-pipe -ErrorAction Stop
        foreach ($n in 'pipe-a', 'pipe-b') { $null = New-Container busybox -Name $n -Network wf-pipe -Volume wf-pipe-vol:/data -Command sleep, 1000 -ErrorAction Stop }
        $null = New-Container busybox -Name pipe-web -Command sleep, 1000 -ErrorAction Stop | Start-Container -PassThru
    }

    AfterAll {
        Remove-Container pipe-a, pipe-b, pipe-web -Force -ErrorAction Continue
        Remove-Network wf-pipe -ErrorAction Continue
        Remove-Volume wf-pipe-vol -ErrorAction Continue
    }

    It 'names piped as strings and as the Name property of CSV rows' {
        'pipe-a', 'pipe-b' | Start-Container -ErrorAction Stop
        (Get-Container pipe-a, pipe-b).Status | Should -Be @('Running', 'Running')
        $csv = Join-Path $script:Files 'names.csv'
        [pscustomobject]@{ Name = 'pipe-a' }, [pscustomobject]@{ Name = 'pipe-b' } | Export-Csv -LiteralPath $csv
        Import-Csv -LiteralPath $csv | Stop-Container -ErrorAction Stop
        (Get-Container pipe-a, pipe-b).Status | Should -Be @('Exited', 'Exited')
    }

    It 'a container pipes into Invoke-ContainerCommand and Get-Image' {
        $web = Get-Container pipe-web
        $web | Invoke-ContainerCommand -Command hostname | Should -Be $web.ShortId
        ($web | Get-Image).Id | Should -Be $web.ImageId
        Invoke-ContainerCommand -Container pipe-web -- true
    }

    It 'a network and a volume pipe into Get-Container as their containers' {
        (Get-Network wf-pipe | Get-Container).Name | Sort-Object | Should -Be @('pipe-a', 'pipe-b')
        (Get-Volume wf-pipe-vol | Get-Container).Name | Sort-Object | Should -Be @('pipe-a', 'pipe-b')
    }

    It 'Get-Image with a repository lists every tag of it' {
        Add-ImageTag busybox busybox:1.0 -ErrorAction Stop
        Add-ImageTag busybox busybox:2.0 -ErrorAction Stop
        (Get-Image busybox).Tag | Sort-Object | Should -Be @('1.0', '2.0', 'latest')
        (Get-Image busybox:1.0).Tag | Should -Be '1.0'
    }
}

Describe 'Docker-style values and docker kill' {
    It 'takes -Memory as 512m or 1g and explains a wrong size' {
        (New-Container busybox -Memory 512m -Command true -ErrorAction Stop).Memory | Should -Be 512MB
        (New-Container busybox -Memory 1g -MemorySwap 2g -Command true -ErrorAction Stop).Memory | Should -Be 1GB
        $err = Get-ThrownError { New-Container busybox -Memory 12x -Command true -ErrorAction Stop }
        $err.Exception.Message | Should -BeLike '*512m, 1g*'
    }

    It 'takes -Since as how long ago' {
        $null = New-Container busybox -Name since-1 -Command echo, recent | Start-Container -Wait -PassThru
        (Get-ContainerLog since-1 -Since 5m).Text | Should -Be 'recent'
        (Get-ContainerLog since-1 -Since 1h30m).Text | Should -Be 'recent'
        $err = Get-ThrownError { Get-ContainerLog since-1 -Since 5 minutes }
        $err | Should -Not -BeNullOrEmpty
        Remove-Container since-1
    }

    It 'takes -Format as oci-archive or docker-archive and lists the forms otherwise' {
        $tar = Join-Path $script:Files 'busybox-oci.tar'
        Export-Image busybox -Path $tar -Format oci-archive -ErrorAction Stop
        & tar -tf $tar | Should -Contain 'index.json'
        $err = Get-ThrownError { Export-Image busybox -Path $tar -Format zip-archive -ErrorAction Stop }
        $err.Exception.Message | Should -BeLike '*docker-archive*oci-archive*'
    }

    It 'Stop-Container -Signal sends one signal, as docker kill' {
        $c = New-Container busybox -Name killed -Command sleep, 1000 -ErrorAction Stop | Start-Container -PassThru
        Stop-Container killed -Signal KILL -ErrorAction Stop
        Wait-Condition { (Get-Container killed).Status -eq 'Exited' } -Message 'the killed container to exit'
        (Get-Container killed).ExitCode | Should -Be 137
        Remove-Container killed
    }
}

Describe 'Mistakes refused early' {
    It 'refuses a -Runtime that does not exist when the container is created' {
        $before = @(Get-Container -All).Count
        $err = Get-ThrownError { New-Container busybox -Runtime no-such-runtime -Command true -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -BeLike 'RuntimeNotFound*'
        @(Get-Container -All).Count | Should -Be $before
    }
}

Describe 'Prunes that ask first' {
    It 'Remove-Volume -Unused lists under -WhatIf, removes only anonymous volumes, and named ones with -All' {
        $null = New-Volume wf-named-unused -ErrorAction Stop
        $c = New-Container busybox -Volume /anon -Command true -ErrorAction Stop
        $anonymous = ($c.Mounts | Where-Object Destination -eq '/anon').Source
        Remove-Container $c.Name -ErrorAction Stop
        $anonymous | Should -Not -BeNullOrEmpty
        Remove-Volume -Unused -All -WhatIf
        Get-Volume $anonymous, wf-named-unused -ErrorAction Stop | Should -HaveCount 2
        Remove-Volume -Unused -Force -ErrorAction Stop
        Get-Volume $anonymous -ErrorAction Ignore | Should -BeNullOrEmpty
        Get-Volume wf-named-unused -ErrorAction Stop | Should -Not -BeNullOrEmpty
        Remove-Volume -Unused -All -Force -ErrorAction Stop
        Get-Volume wf-named-unused -ErrorAction Ignore | Should -BeNullOrEmpty
    }
}

Describe 'One version number' {
    It 'the module, the assembly and the engine report the same version' {
        $module = (Get-Module PSContainer).Version
        $engine = [version] (Get-ContainerEngine).Version
        "$($engine.Major).$($engine.Minor).$($engine.Build)" | Should -Be "$($module.Major).$($module.Minor).$($module.Build)"
    }
}

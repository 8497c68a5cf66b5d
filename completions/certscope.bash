# bash completion for certscope                              -*- shell-script -*-
_certscope()
{
	local cur prev words cword
	_init_completion -n = || return

	local commands="show verify connect"
	local global="-v --verbose --color= -h --help -V --version"
	local cmd="" i
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		show | verify | connect) cmd=${words[i]}; break ;;
		esac
	done

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$global" -- "$cur"))
			[[ ${COMPREPLY-} == *= ]] && compopt -o nospace
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi
		return
	fi

	case $prev in
	--trust | --untrusted | --crl | --password-file | --save-chain | --cert | --key)
		_filedir
		return ;;
	--purpose)
		COMPREPLY=($(compgen -W "server client email code any" -- "$cur"))
		return ;;
	--color)
		COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
		return ;;
	--starttls)
		COMPREPLY=($(compgen -W "smtp imap pop3 ftp xmpp ldap postgres mysql nntp sieve" -- "$cur"))
		return ;;
	--at | --host | --email | --max-depth | --sni | --timeout | --alpn | --dns-servers)
		return ;;
	esac
	if [[ $cur == --color=* ]]; then
		COMPREPLY=($(compgen -W "auto always never" -- "${cur#--color=}"))
		return
	fi

	local opts
	case $cmd in
	show)
		opts="--json --pem --long --password-file --at --color= -v --verbose -h --help" ;;
	verify)
		opts="--trust --untrusted --system-trust --host --email --at --purpose
		      --max-depth --crl --json --password-file --color= -v --verbose -h --help" ;;
	connect)
		opts="--sni --no-sni --starttls --timeout --all-addresses --dns-servers --alpn
		      --ocsp-stapling --save-chain --trust --system-trust --host --purpose
		      --at --cert --key --password-file --json --trace --color= -v --verbose -h --help" ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		[[ ${COMPREPLY-} == *= ]] && compopt -o nospace
	elif [[ $cmd == connect ]]; then
		_known_hosts_real -- "$cur"
	else
		_filedir
	fi
} &&
	complete -F _certscope certscope

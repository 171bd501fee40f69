// The first-run guide's words: the demo site made for the operator, and the four steps of a
// first backup and restore with their links.
export const guideMessages = {
  en: {
    guide: {
      title: 'Your first backup and restore',
      progress: '{done} of {all} done',
      dismiss: 'Dismiss the guide',
      close: 'Close the guide',
      back: 'Guide: {done} of {all} done',
      created: 'A demo site was created for you in',
      about:
        'It simulates a host and its storage, three backup servers, three copy devices, three tape libraries and four FC switches on this computer, so nothing real is touched. Four steps show how a backup survives a failed device:',
      finished: 'All done: you backed up over two independent streams and restored from tape. The guide will not be shown again.',
      state: { done: 'Done', next: 'Next', todo: 'To do' },
      steps: {
        san: {
          title: 'Look at the SAN graph',
          text: 'Storage, FC switches, backup servers, copy devices and libraries, and how they are wired. A backup needs two paths through it that share no device.',
          link: 'Open the SAN graph',
        },
        backup: {
          title: 'Run a backup',
          text: 'In Jobs, start a backup of /pictures, mirrored, with 2 streams: each stream writes a whole copy to a tape of its own.',
          link: 'Go to Jobs',
        },
        watch: {
          title: 'Watch it',
          text: 'Its page shows each stream’s progress, a map of the chunks on each tape and, at the end, where every byte went.',
          link: 'Open the job',
        },
        restore: {
          title: 'Restore a file',
          text: 'In Restore, open the backup, drag a file into the basket, give a destination folder, plan and run the restore.',
          link: 'Open Restore',
        },
      },
    },
  },
  ja: {
    guide: {
      title: 'はじめてのバックアップとリストア',
      progress: '{all} 件中 {done} 件完了',
      dismiss: 'ガイドを閉じる',
      close: 'ガイドを終了',
      back: 'ガイド: {all} 件中 {done} 件完了',
      created: 'デモサイトを次の場所に作成しました:',
      about:
        'このコンピューター上で、ホストとそのストレージ、バックアップサーバー 3 台、コピー装置 3 台、テープライブラリ 3 台、FCスイッチ 4 台を模擬しています。実際の機器には一切触れません。次の 4 つの手順で、デバイスが故障してもバックアップが続く様子を確かめられます:',
      finished: 'すべて完了しました。独立した 2 系統でバックアップし、テープからリストアしました。このガイドは今後表示されません。',
      state: { done: '完了', next: '次', todo: '未完了' },
      steps: {
        san: {
          title: 'SANグラフを見る',
          text: 'ストレージ、FCスイッチ、バックアップサーバー、コピー装置、テープライブラリと、その配線です。バックアップには、デバイスを共有しない 2 本の経路が必要です。',
          link: 'SANグラフを開く',
        },
        backup: {
          title: 'バックアップを実行する',
          text: 'ジョブビューで /pictures のバックアップを、ミラーモード、2 系統で開始します。各系統が完全なコピーをそれぞれのテープに書き込みます。',
          link: 'ジョブへ',
        },
        watch: {
          title: '様子を見る',
          text: 'ジョブのページに、各系統の進捗、テープごとのチャンクマップ、終了後には各バイトの行き先が表示されます。',
          link: 'ジョブを開く',
        },
        restore: {
          title: 'ファイルをリストアする',
          text: 'リストアビューでバックアップを開き、ファイルをバスケットにドラッグし、リストア先フォルダーを指定して、計画を立ててリストアを実行します。',
          link: 'リストアを開く',
        },
      },
    },
  },
};

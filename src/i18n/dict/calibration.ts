/**
 * Messages of measured power profiles made from a measured run. Keys are prefixed with
 * "calibration.", except the provenance methods of the power sensors, which the provenance
 * table builds as `energy.prov.method.<method>`.
 */
const en: Record<string, string> = {
  'calibration.picker.note': 'Measured by a power sensor of this machine during an earlier run on this adapter: it replaces the catalog class for this device only.',
  'calibration.picker.forget': 'Forget the measured profile',
  'energy.prov.method.sensor:nvidia-smi': 'Measured on this device by nvidia-smi (the GPU board), during an earlier run on this adapter.',
  'energy.prov.method.sensor:hwmon': 'Measured on this device by the amdgpu hwmon sensor (the GPU board), during an earlier run on this adapter.',
  'energy.prov.method.sensor:rapl': 'Measured on this device by RAPL (the CPU package), during an earlier run on this adapter.',
  'energy.prov.method.sensor:powermetrics': 'Measured on this device by powermetrics, during an earlier run on this adapter.',
  'calibration.method.h': 'Measured profiles: how a power sensor corrects the catalog',
  'calibration.method.body': 'When a run on this machine reads a power sensor (npm start on the same machine, or the Node runner with --measure-power), its idle baseline and each model’s mean power under load become a measured profile for that adapter: idle power is the sensor’s mean over the idle window, ΔP the mean power above idle under each model (lowest, mean, highest), widened to at least ±{spread} % for the sensor’s accuracy. Later estimates on the same adapter use it instead of the catalog class, labelled “Measured on this device (day, sensor)”; the profile is kept in this browser (or in the Node runner’s profile folder) and can be forgotten. An uploaded result records only the sensor’s kind, what it covers, its reading count, the measuring day and the adapter; the server recomputes the figures from the stored watts and refuses a profile whose idle power is not between 0 and {idleMax} W, whose ΔP exceeds {deltaMax} W or is narrower than ±{spread} %, whose adapter is not the result’s, or which was measured after the run.',
  'calibration.method.limits': 'What a measured profile does not cover. A GPU-board sensor (nvidia-smi, amdgpu hwmon) misses the host: the CPU, memory, fans and the power supply’s loss, so the model still adds its host assumption and divides by the supply’s efficiency. RAPL reads the CPU package only: it misses a discrete GPU entirely, and holds an integrated GPU only together with the CPU’s own activity. A whole-system sensor includes the host, so no host power is added. The mean power of a load window also covers the short gaps between batches, so ΔP is a little low for a GPU that idles between them; and one device’s measurement says nothing of another unit of the same class. The dataset lists measured profiles per adapter beside the catalog, so the catalog’s classes can be checked against them.',
  'calibration.dataset.h': 'Measured power profiles',
  'calibration.dataset.intro': 'Results whose estimate used a power sensor’s profile, per adapter and sensor: medians of their idle power and of ΔP (the power added under load).',
  'calibration.dataset.adapter': 'Adapter',
  'calibration.dataset.sensor': 'Sensor (coverage)',
  'calibration.dataset.count': 'Results',
  'calibration.dataset.idle': 'Median idle, W',
  'calibration.dataset.delta': 'Median ΔP, W',
  'calibration.dataset.none': 'No result with a measured profile yet.',
  'calibration.dataset.error': 'The measured profiles could not be loaded.',
};

const fr: Record<string, string> = {
  'calibration.picker.note': 'Mesuré par un capteur de puissance de cette machine lors d’une exécution précédente sur cet adaptateur : il remplace la classe du catalogue pour cet appareil seulement.',
  'calibration.picker.forget': 'Oublier le profil mesuré',
  'energy.prov.method.sensor:nvidia-smi': 'Mesurée sur cet appareil par nvidia-smi (la carte GPU), lors d’une exécution précédente sur cet adaptateur.',
  'energy.prov.method.sensor:hwmon': 'Mesurée sur cet appareil par le capteur hwmon amdgpu (la carte GPU), lors d’une exécution précédente sur cet adaptateur.',
  'energy.prov.method.sensor:rapl': 'Mesurée sur cet appareil par RAPL (le boîtier CPU), lors d’une exécution précédente sur cet adaptateur.',
  'energy.prov.method.sensor:powermetrics': 'Mesurée sur cet appareil par powermetrics, lors d’une exécution précédente sur cet adaptateur.',
  'calibration.method.h': 'Profils mesurés : comment un capteur de puissance corrige le catalogue',
  'calibration.method.body': 'Quand une exécution sur cette machine lit un capteur de puissance (npm start sur la même machine, ou le lanceur Node avec --measure-power), sa ligne de base au repos et la puissance moyenne sous la charge de chaque modèle deviennent un profil mesuré pour cet adaptateur : la puissance au repos est la moyenne du capteur sur la fenêtre de repos, ΔP la puissance moyenne au-dessus du repos sous chaque modèle (la plus basse, la moyenne, la plus haute), élargie à au moins ±{spread} % pour la précision du capteur. Les estimations suivantes sur le même adaptateur l’utilisent à la place de la classe du catalogue, avec la mention « Mesuré sur cet appareil (jour, capteur) » ; le profil est gardé dans ce navigateur (ou dans le dossier de profils du lanceur Node) et peut être oublié. Un résultat partagé n’enregistre que le type de capteur, ce qu’il couvre, son nombre de relevés, le jour de la mesure et l’adaptateur ; le serveur recalcule les chiffres à partir des watts enregistrés et refuse un profil dont la puissance au repos n’est pas entre 0 et {idleMax} W, dont le ΔP dépasse {deltaMax} W ou est plus étroit que ±{spread} %, dont l’adaptateur n’est pas celui du résultat, ou qui a été mesuré après l’exécution.',
  'calibration.method.limits': 'Ce qu’un profil mesuré ne couvre pas. Un capteur de carte GPU (nvidia-smi, hwmon amdgpu) ignore l’hôte : le CPU, la mémoire, les ventilateurs et la perte de l’alimentation ; le modèle ajoute donc toujours son hypothèse d’hôte et divise par le rendement de l’alimentation. RAPL ne lit que le boîtier CPU : il ignore entièrement un GPU dédié, et ne contient un GPU intégré qu’avec l’activité propre du CPU. Un capteur du système entier inclut l’hôte : aucune puissance d’hôte n’est ajoutée. La puissance moyenne d’une fenêtre de charge couvre aussi les courtes pauses entre les lots : ΔP est un peu bas pour un GPU qui se repose entre eux ; et la mesure d’un appareil ne dit rien d’un autre exemplaire de la même classe. Le jeu de données liste les profils mesurés par adaptateur à côté du catalogue, pour que les classes du catalogue puissent être vérifiées.',
  'calibration.dataset.h': 'Profils de puissance mesurés',
  'calibration.dataset.intro': 'Résultats dont l’estimation a utilisé le profil d’un capteur de puissance, par adaptateur et capteur : médianes de leur puissance au repos et de ΔP (la puissance ajoutée en charge).',
  'calibration.dataset.adapter': 'Adaptateur',
  'calibration.dataset.sensor': 'Capteur (couverture)',
  'calibration.dataset.count': 'Résultats',
  'calibration.dataset.idle': 'Repos médian, W',
  'calibration.dataset.delta': 'ΔP médian, W',
  'calibration.dataset.none': 'Aucun résultat avec un profil mesuré pour l’instant.',
  'calibration.dataset.error': 'Les profils mesurés n’ont pas pu être chargés.',
};

export const calibration = { en, fr };
